from django.shortcuts import render


def search(request):
    return render(request, "registry/search.html")
