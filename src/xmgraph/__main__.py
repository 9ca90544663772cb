"""``python -m xmgraph``: the ``xmgraph`` command (:func:`xmgraph.console.main`)."""

from xmgraph.console import main

if __name__ == "__main__":
    main()
