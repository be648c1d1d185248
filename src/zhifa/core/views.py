from django.shortcuts import render

from zhifa.core.access import staff


@staff()
def home(request):
    return render(request, "core/home.html")
