// Bootstrap Italia loads its fonts from this path (served by the portal, no CDN).
window.__PUBLIC_PATH__ = "/static/vendor/bootstrap-italia/fonts";
