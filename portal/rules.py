"""The one exception a service raises when a business rule refuses an action.

Its message is shown to the user as is (already translated), so views catch it, flash it and
render the form again with what the user typed.
"""


class RuleError(Exception):
    pass
