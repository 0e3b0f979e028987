"""The sector's consultation on a draft edition of the Bollino Blu (routes on the module's `bp`)."""
