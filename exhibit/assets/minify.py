"""Minification, opt-in with `--minify`: whitespace and comments only, never a rewrite of meaning.

HTML goes through minify-html with closing tags kept and inline scripts and
styles left alone (its JS/CSS minifiers rewrite code: `(max-width: 600px)` into
range syntax old kiosk browsers lack, globals into nothing). CSS files go through
rcssmin and JS files through rjsmin, both of which only drop whitespace and comments.
"""

from __future__ import annotations


def minify_page(html: str) -> str:
    import minify_html  # here: only `build --minify` needs it

    return minify_html.minify(html, keep_closing_tags=True, keep_html_and_head_opening_tags=True,
                              minify_css=False, minify_js=False)


def minify_css(css: str) -> str:
    import rcssmin

    return rcssmin.cssmin(css, keep_bang_comments=True)


def minify_js(js: str) -> str:
    import rjsmin

    return rjsmin.jsmin(js, keep_bang_comments=True)
