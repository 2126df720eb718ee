from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path


@login_required(login_url="/login/")
def floor(request):
    return render(request, "floor.html", {"user": request.user})


def healthz(request):
    return HttpResponse("ok")


urlpatterns = [path("floor", floor), path("healthz", healthz)]
