"""`python -m newsharvest` runs the command line."""

from .cli import main

main()
