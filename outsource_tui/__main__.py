from outsource_tui.cli import main

raise SystemExit(main())
