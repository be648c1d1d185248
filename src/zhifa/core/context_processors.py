from django.conf import settings


def platform(request) -> dict:
    return {
        "platform_name": settings.ZHIFA_PLATFORM_NAME,
        # 适老化: large text and high contrast, chosen by the reader and kept
        # in a cookie so it persists across pages without JavaScript.
        "large_text": request.COOKIES.get("zhifa_large_text") == "1",
    }
