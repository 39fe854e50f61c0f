"""python -m paysim --port 8766: run the payment-provider simulator until interrupted."""

from __future__ import annotations

import argparse
import os

from .server import make_server


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Simulator of the payment provider (not part of the portal)."
    )
    parser.add_argument("--host", default=os.environ.get("PAYSIM_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PAYSIM_PORT", 8766)))
    args = parser.parse_args()
    server = make_server(args.host, args.port)
    print(f"payment simulator listening on http://{args.host}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
