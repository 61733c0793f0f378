"""The header logo: the company's initials, so the site needs no image of its own."""

from __future__ import annotations

from xml.sax.saxutils import escape


def initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
    letters = "".join(w[0] for w in words if w[0].isupper()) or "".join(w[0] for w in words)
    return (letters[:3] or "CS").upper()


def logo_svg(company_name: str) -> str:
    text = escape(initials(company_name))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48" role="img" aria-label="logo">'
        '<rect width="48" height="48" rx="10" fill="currentColor" opacity="0.18"/>'
        f'<text x="24" y="31" text-anchor="middle" font-family="sans-serif" font-size="{18 if len(text) < 3 else 14}" '
        f'font-weight="700" fill="currentColor">{text}</text></svg>\n'
    )
