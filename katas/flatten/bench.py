"""The benchmark workload of the flatten kata (see harness/grading/benchmark.py)."""

WORKLOAD = "flatten a dict of n leaves, in groups of 8 under 3 levels of nesting"
SIZES = (500, 2_000, 8_000)


def make(module, n):
    data = {}
    for i in range(n):
        group = data.setdefault(f"g{i // 64}", {}).setdefault(f"s{i // 8 % 8}", {})
        group[f"k{i % 8}"] = i

    def run():
        module.flatten(data)

    return run
