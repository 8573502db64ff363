"""Serve the demo site from the command line: ``python -m archiver.demo``."""

import argparse

from archiver.demo.server import DemoServer


def main(argv=None) -> None:
    """Parse arguments and serve until interrupted."""
    parser = argparse.ArgumentParser(description="Serve the Meridian Ledger demo site.")
    parser.add_argument("--edition", type=int, choices=(1, 2), default=1)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8123)
    args = parser.parse_args(argv)
    server = DemoServer(edition=args.edition, host=args.host, port=args.port)
    print(f"Serving edition {args.edition} at {server.base_url}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
