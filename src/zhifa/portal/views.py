from django.shortcuts import render

from zhifa.core.access import public


@public
def home(request):
    return render(request, "portal/home.html")
