"""Build a district at scale for the benchmarks (see benchmarks/README.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo.scale import BENCH_PASSWORD, Builder, Plan, database_is_empty


class Command(BaseCommand):
    help = (
        "Build a district at scale on PostgreSQL: at full size 10 streets, 100 communities, "
        "1,000 grids, 300,000 residents, 200,000 issues over two years, 20,000 meetings and "
        "60,000 action items, with a user of every role to log in as (bench-<role>)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            default="full",
            help="full, medium (1/10), small (1/100), tiny (1/1000) or a factor such as 0.05.",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add the district even though the database already holds data.",
        )

    def handle(self, *args, size, seed, force, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "seed_scale runs on PostgreSQL only: set DATABASE_URL to a PostgreSQL database."
            )
        try:
            plan = Plan.for_size(size)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if not force and not database_is_empty():
            raise CommandError(
                "The database already holds communities, residents or issues. Use an empty "
                "database, or --force to add the district alongside."
            )
        self.stdout.write(
            f"Building {plan.streets} streets, {plan.communities} communities, "
            f"{plan.grids} grids, {plan.residents} residents, {plan.issues} issues, "
            f"{plan.meetings} meetings, {plan.action_items} action items (seed {seed})…"
        )
        builder = Builder(plan, seed=seed, log=lambda line: self.stdout.write(f"  {line}"))
        builder.build()
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {builder.timings['total']:.1f} s. Log in as "
                + ", ".join(sorted(user.username for user in builder.bench.values()))
                + f" with the password {BENCH_PASSWORD}."
            )
        )
