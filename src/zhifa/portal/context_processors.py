from zhifa.portal import sections


def portal_nav(request) -> dict:
    """The portal's sections, for every public page whichever app renders it."""
    return {"sections": sections.sections()}
