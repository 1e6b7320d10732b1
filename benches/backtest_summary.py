"""Prints the all-regions rows of `wfm backtest --json` files as one Markdown table.

    python3 benches/backtest_summary.py LABEL=FILE.json [LABEL=FILE.json ...] [--models a,b]

For each file: per model, interval WAPE, daily WAPE, bias (volume-weighted over regions and
origins, as `wfm backtest` computes its "all regions" rows; a file of one region uses that
region's row), 80 % coverage, and the models `auto` chose. Standard library only.
"""
import json
import sys


def main(argv):
    models = None
    files = []
    for arg in argv:
        if arg.startswith("--models="):
            models = arg.split("=", 1)[1].split(",")
        else:
            label, _, path = arg.partition("=")
            files.append((label, path))
    print("| data | model | interval WAPE | daily WAPE | bias | coverage | regions |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, path in files:
        with open(path) as f:
            data = json.load(f)
        summary = data["summary"]
        regions = sorted({row["region"] for row in summary} - {"all regions"})
        wanted = "all regions" if len(regions) > 1 else regions[0]
        rows = [r for r in summary if r["region"] == wanted]
        if models:
            rows = sorted(
                (r for r in rows if r["model"] in models),
                key=lambda r: models.index(r["model"]),
            )
        for r in rows:
            cells = [
                label,
                f"`{r['model']}`",
                pct(r["interval_wape"]),
                pct(r["daily_wape"]),
                pct(r["interval_bias"]),
                pct(r["coverage"]),
                str(len(regions)),
            ]
            print("| " + " | ".join(cells) + " |")
        zeros = all_zero_regions(data)
        if zeros:
            print(f"<!-- {label}: auto forecast all zeros for {zeros} -->")


def pct(value):
    return "-" if value is None else f"{100 * value:.1f} %"


def all_zero_regions(data):
    """Region-origins where auto's bias is -100 % (a forecast of nothing for a region with calls)."""
    return [
        (o["region"], o["origin"][:10])
        for o in data["origins"]
        if o["model"] == "auto"
        and o["interval"]["bias"] is not None
        and o["interval"]["bias"] <= -0.999
    ]


if __name__ == "__main__":
    main(sys.argv[1:])
