"""python -m mockd"""

from mockd.cli import main

main()
