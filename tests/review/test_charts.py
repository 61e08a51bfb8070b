"""Charts rendered to PNG: words in the chosen language, axis labels inside the figure,
thresholds marked."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from vnlink import plot  # noqa: E402
from vnlink.evaluate import plot_pr_curve  # noqa: E402


def _charts(linkage, language: str) -> dict[str, object]:
    from vnlink.review._pairs import prepared_tables

    th = linkage.linker
    pipe = linkage.linker.pipeline
    left, right = prepared_tables(linkage.linker, linkage.registry, linkage.records)
    pairs = pipe.block(left, right)
    e = pipe.classifier.explain(pipe.compare((pairs.left[:50], pairs.right[:50]), left, right))
    return {
        "m_u": plot.plot_m_u(linkage.linker, language=language),
        "histogram": plot.plot_weight_histogram(linkage.result, linkage.truth, thresholds=th,
                                                language=language),
        "pr": plot.plot_pr_curve(linkage.result, linkage.truth, thresholds=th,
                                 language=language),
        "threshold": plot.plot_threshold_curve(linkage.result, linkage.truth, thresholds=th,
                                               language=language),
        "waterfall": plot.plot_waterfall(e, 0, language=language),
        "blocking": plot.plot_blocking_rules(pairs.report, language=language),
    }


def _inside(fig, artist) -> bool:
    box = artist.get_window_extent(fig.canvas.get_renderer())
    return (box.x0 >= 0 and box.y0 >= 0 and box.x1 <= fig.bbox.width
            and box.y1 <= fig.bbox.height and box.width > 0)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_chart_renders_with_its_labels_inside(linkage, tmp_path: Path,
                                                    language: str) -> None:
    words = plot.LABELS[language]
    for name, ax in _charts(linkage, language).items():
        fig = ax.figure
        path = tmp_path / f"{name}-{language}.png"
        fig.savefig(path)  # no bbox_inches: the figure itself must hold everything
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        fig.canvas.draw()
        for label in (ax.xaxis.label, ax.yaxis.label, ax.title):
            assert label.get_text(), (name, "empty label")
            assert _inside(fig, label), (name, label.get_text())
        assert ax.get_ylabel() in {words[k] for k in words} | {
            f"{words['precision']} / {words['recall']} / F1"}
        plt.close(fig)


def test_thresholds_are_marked(linkage) -> None:
    th = linkage.linker.thresholds_
    ax = plot.plot_weight_histogram(linkage.result, linkage.truth, thresholds=th)
    xs = sorted(line.get_xdata()[0] for line in ax.get_lines())
    assert xs == pytest.approx(sorted([plot.match_weight_of(th["review_threshold"]),
                                       plot.match_weight_of(th["verified_threshold"])]))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.startswith("ngưỡng tự động liên kết") for t in legend)
    ax2 = plot.plot_threshold_curve(linkage.result, linkage.truth, thresholds=th, language="en")
    assert any(t.get_text().startswith("verified threshold")
               for t in ax2.get_legend().get_texts())
    plt.close("all")


def test_pr_curve_y_label_is_not_clipped(linkage) -> None:
    ax = plot_pr_curve(linkage.result, linkage.truth)
    ax.figure.canvas.draw()
    assert ax.get_ylabel() == "precision" and _inside(ax.figure, ax.yaxis.label)
    plt.close("all")


def test_missing_matplotlib_gives_a_hint_that_works_from_source(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError) as info:
        plot.plot_blocking_rules({"a": 1})
    message = str(info.value)
    assert "pip install 'matplotlib>=3.8'" in message and "-e '.[plot]'" in message
    with pytest.raises(Exception, match="language"):
        plot._words("fr")
