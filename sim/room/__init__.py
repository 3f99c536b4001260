"""The participatory room: participants play the network's actors live (``kommune room``)."""
