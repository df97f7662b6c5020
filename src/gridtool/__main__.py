from gridtool.cli import main

main()
