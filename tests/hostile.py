"""Hostile attachments shared by the attachment tests (model) and their browser twin."""

PAYLOAD = "window.pwned=1;document.title='pwned'"
HOSTILE_SVG = f"""<?xml version="1.0"?>
<?xml-stylesheet type="text/xsl" href="evil.xsl"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="80"
     onload="{PAYLOAD}">
  <script>{PAYLOAD}</script>
  <script xlink:href="data:text/javascript,{PAYLOAD}"/>
  <style>@import url(http://evil.example/x.css); rect {{ fill: url(javascript:{PAYLOAD}) }}</style>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#b71c1c"/></linearGradient></defs>
  <a xlink:href="javascript:{PAYLOAD}"><rect width="50" height="50"/></a>
  <a href="javascript:{PAYLOAD}"><text x="5" y="70">click</text></a>
  <rect x="60" width="50" height="50" fill="url(#g)" onclick="{PAYLOAD}" style="fill:url(http://evil/)"/>
  <image href="http://evil.example/track.png" width="1" height="1"/>
  <use href="http://evil.example/sprite.svg#a"/>
  <set attributeName="onmouseover" to="{PAYLOAD}"/>
  <animate attributeName="href" to="javascript:{PAYLOAD}"/>
  <foreignObject width="10" height="10"><body xmlns="http://www.w3.org/1999/xhtml">
    <script>{PAYLOAD}</script><iframe src="javascript:{PAYLOAD}"/></body></foreignObject>
  <circle cx="100" cy="60" r="10" fill="#b71c1c"/>
</svg>
"""
