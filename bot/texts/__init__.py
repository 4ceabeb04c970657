"""Every user-facing sentence, in one place (one module per capability).

Sentences are plain str.format templates so a later translation layer can
swap them wholesale. Nothing here ever includes what a member wrote.
"""
