"""`python -m cashmission.samples`: regenerate the synthetic sample client."""

from cashmission.samples.generator import main

main()
