"""Two processes share a block of memory, with nothing pickled but its name.

The parent creates a named block of shared memory and starts a child with
each start method, giving it only the block's name. The child attaches to
the block, writes into it and detaches; the parent then reads what the
child wrote, in place. At the end the parent closes its view and unlinks
the block, which frees it: the creator owns it.
"""

import multiprocessing
from multiprocessing import shared_memory

SIZE = 1 << 20  # 1 MiB


# --8<-- [start:child]
def fill(name: str, method: str) -> None:
    """Runs in the child: attach to the block by name and write into it."""
    block = shared_memory.SharedMemory(name=name)
    try:
        block.buf[:SIZE] = (method.encode() * SIZE)[:SIZE]
    finally:
        block.close()  # detach this process; the block lives on
        # --8<-- [end:child]


def main() -> None:
    # --8<-- [start:parent]
    block = shared_memory.SharedMemory(create=True, size=SIZE)
    try:
        for method in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context(method)
            child = context.Process(target=fill, args=(block.name, method))
            child.start()
            child.join()
            written = bytes(block.buf[:SIZE])  # the parent's copy, to print
            assert written == (method.encode() * SIZE)[:SIZE]
            print(
                f"{method:>10}: parent reads {written[:12]!r}...,"
                f" {len(written):,} bytes the child wrote"
            )
    finally:
        block.close()  # drop the parent's view
        block.unlink()  # free the block itself
    # --8<-- [end:parent]


if __name__ == "__main__":
    main()
