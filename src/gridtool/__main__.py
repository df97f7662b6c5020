from gridtool.cli import main

if __name__ == "__main__":  # a spawned writer process imports this module again: it must not run the CLI
    main()
