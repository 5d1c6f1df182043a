"""`python -m cashmission`: the command line."""

from cashmission.cli import main

main()
