// After a submit that failed, focus moves to the error summary (macros/forms.html form_errors): a
// screen reader reads it at once. Its links lead to the fields: following one focuses the field
// (a browser only scrolls to a link's target) with its label in view.
const summary = document.querySelector('[data-error-summary]')
if (summary) {
  summary.focus()
  summary.addEventListener('click', (event) => {
    const link = event.target.closest('a[href^="#"]')
    const target = link && document.getElementById(decodeURIComponent(link.hash.slice(1)))
    if (!target) return
    event.preventDefault()
    const field = target.matches('input, select, textarea') ? target : target.querySelector('input, select, textarea')
    const label = (field && field.labels && field.labels[0]) || target
    label.scrollIntoView({ block: 'center' })
    ;(field || target).focus({ preventScroll: true })
  })
}
