import importlib
import time

from django.core.management.base import BaseCommand

# Each step builds one part of the demo from what the steps before it built; each is
# idempotent, so the command can run on every start.
STEPS = [
    "demo.world",
    "demo.stories",
    "demo.documents",
    "demo.rules",
    "demo.morning",
]


class Command(BaseCommand):
    help = "Load the demo: the communities, people and ten stories of DOMAIN.md (idempotent)."

    def handle(self, *args, **options):
        started = time.monotonic()
        world = None
        for dotted in STEPS:
            module = importlib.import_module(dotted)
            step_started = time.monotonic()
            if world is None:
                world = module.build()
            else:
                module.build(world)
            self.stdout.write(f"  {dotted}: {time.monotonic() - step_started:.1f}s")
        self.stdout.write(self.style.SUCCESS(f"Demo ready in {time.monotonic() - started:.1f}s."))
