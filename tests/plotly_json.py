"""Reading a Plotly chart back out of AppTest: `proto.spec` is the figure JSON."""

from __future__ import annotations

import base64
import json

import numpy as np


def decode(value):
    """Plotly ≥ 6 writes numeric arrays as {"dtype", "bdata"[, "shape"]}; turn them back into lists."""
    if isinstance(value, dict) and "bdata" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        if "shape" in value:
            array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
        return array.tolist()
    return value


def chart_data(element) -> list[dict]:
    """The traces of an AppTest plotly_chart element, with binary arrays decoded."""
    spec = json.loads(element.proto.spec)
    return [{key: decode(value) for key, value in trace.items()} for trace in spec["data"]]
