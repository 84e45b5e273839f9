"""A virtual-time asyncio loop for oracle twins: time starts at 0 and jumps to the next timer
whenever the loop would block, so a twin that sleeps for an hour finishes at once. Mirrors
@asyncio-ts/testing's VirtualTimeEventLoop (including its deadlock report)."""
import asyncio
import selectors


class _VirtualSelector(selectors.DefaultSelector):
    loop = None

    def select(self, timeout=None):
        ready = super().select(0)
        if ready:
            return ready
        if timeout is None:
            raise RuntimeError("deadlock: nothing is ready and no timer is set")
        if timeout > 0:
            self.loop._vtime += timeout
        return []


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    def __init__(self):
        sel = _VirtualSelector()
        super().__init__(sel)
        sel.loop = self
        self._vtime = 0.0

    def time(self):
        return self._vtime


def run(main, **kwargs):
    """asyncio.run on a virtual-time loop."""
    return asyncio.run(main, loop_factory=VirtualTimeLoop, **kwargs)
