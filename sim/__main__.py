from sim.entry import main

main()
