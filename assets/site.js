// The portal's script: only the Bootstrap Italia components the pages use. Each registers its own
// data-api handlers when loaded (data-bs-toggle="dropdown", data-bs-toggle="navbarcollapsible");
// they are exported so that the bundler keeps them (the package declares no side effects).
// Not its fonts loader: it injects an inline <style>, which the Content-Security-Policy forbids;
// site.scss declares the fonts instead.
import './error-summary'

export { default as Dropdown } from 'bootstrap-italia/src/js/plugins/dropdown'
export { default as NavBarCollapsible } from 'bootstrap-italia/src/js/plugins/navbar-collapsible'
