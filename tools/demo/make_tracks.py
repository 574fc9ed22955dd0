#!/usr/bin/env python3
"""Writes the demo county's recorded tracks (data/demo/*.gpx), as phones and trackers send GPX 1.1: WGS84 lat/lon in
degrees, ellipsoidal height in metres, UTC times. Coordinates are taken from the demo data (data/shapefiles) as PostGIS
reads it: the four shafts of 箕山电煤 (YC-CM-004), a point on the surface of 大安煤矿 (YC-CM-006), the licence of
永川区何埂镇石龙岗石灰岩矿 (C5001182017051130144310; its west edge is at 105.894373°E) and a point 320 m west of it
(ST_Distance on the ellipsoid: 320.5 m, inside no licence). Run from the repository root: python3 tools/demo/make_tracks.py
"""
import math
from datetime import datetime, timedelta, timezone

START = datetime(2026, 11, 20, 1, 0, 0, tzinfo=timezone.utc)  # 09:00 China time, the day they were recorded
J = {"J1": (106.039064158395, 29.2042714592745), "J2": (106.043990829511, 29.2054527951459),
     "J3": (106.042801299476, 29.2023479185851), "J4": (106.040304608928, 29.2091993577508)}
# The other mines' shafts (ST_X, ST_Y of sealed_shaft), patrolled by the demo's other two phones.
MINES = {
    "YC-CM-001": [(105.776028246971, 29.2167130419718), (105.777381474052, 29.2179081302202), (105.775154671814, 29.2145051896027)],
    "YC-CM-002": [(105.792425640171, 29.4312390453806), (105.786838987665, 29.4293015460782), (105.793980125709, 29.4301817803332)],
    "YC-CM-003": [(105.997735718044, 29.4525807018893), (105.996167644064, 29.451374604621), (105.996914124593, 29.4540564739461)],
    "YC-CM-005": [(106.070823364734, 29.1657646623251), (106.070602836552, 29.167324133405)],
    "YC-CM-006": [(105.816503930306, 29.4029347410929), (105.811206210295, 29.4024591918935)],
    "YC-CM-007": [(106.059323494059, 29.422562023902), (106.057780209919, 29.4224092939427)],
    "YC-CM-008": [(105.729090627909, 29.1813485325942), (105.73111641961, 29.1809626339325)],
}


def metres(a, b):
    lat = math.radians((a[1] + b[1]) / 2)
    return math.hypot((b[0] - a[0]) * 111320 * math.cos(lat), (b[1] - a[1]) * 110540)


def walk(points, step_s, speed, dwell_s, jitter=0.0):
    """Fixes every step_s seconds: along straight legs at `speed` m/s, standing at each stop dwell_s seconds (or the
    stop's own, given as (point, seconds))."""
    t, out = START, []
    here = points[0] if not isinstance(points[0][0], tuple) else points[0][0]
    for i, stop in enumerate(points):
        stop, dwell_s = stop if isinstance(stop[0], tuple) else (stop, dwell_s)
        dist = metres(here, stop)
        steps = max(1, int(dist / (speed * step_s)))
        if i > 0:
            for k in range(1, steps + 1):
                f = k / steps
                t += timedelta(seconds=step_s)
                out.append((here[0] + f * (stop[0] - here[0]), here[1] + f * (stop[1] - here[1]), t))
        for k in range(int(dwell_s / step_s)):
            t += timedelta(seconds=step_s)
            wiggle = jitter * math.sin(k)  # standing still, GPS wanders a little
            out.append((stop[0] + wiggle * 1e-5, stop[1] + wiggle * 1e-5, t))
        here = stop
    return out


def gpx(name, fixes, ele):
    rows = "\n".join(f'      <trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>{ele:.1f}</ele><time>{t:%Y-%m-%dT%H:%M:%SZ}</time></trkpt>'
                     for lon, lat, t in fixes)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="GeoMine demo (tools/demo/make_tracks.py)" xmlns="http://www.topografix.com/GPX/1/1">
  <trk>
    <name>{name}</name>
    <trkseg>
{rows}
    </trkseg>
  </trk>
</gpx>
"""


south = (J["J1"][0], J["J1"][1] - 0.0027)  # 300 m south of J1: where the patrol starts
tracks = {
    # A patrol of all four shafts (4 minutes at each), and one that skips J3.
    "patrol-phone-all.gpx": ("巡查 箕山电煤 J1 J3 J2 J4", walk([south, J["J1"], J["J3"], J["J2"], J["J4"]], 20, 1.2, 240, 1.5), 330),
    "patrol-phone-skip-j3.gpx": ("巡查 箕山电煤 J1 J2 J4", walk([south, J["J1"], J["J2"], J["J4"]], 20, 1.2, 240, 1.5), 330),
    # An excavator working inside its licence for 6 minutes, then 320 m west of it for 20 minutes.
    "excavator.gpx": ("挖掘机 石龙岗", walk([((105.8972, 29.1655), 360), ((105.894373 - 0.0031, 29.1660), 1200)], 20, 3.0, 0, 1.0), 455),
    # A truck driving 1.4 km to 大安煤矿 and standing there for 30 minutes.
    "truck.gpx": ("货车 大安煤矿", walk([((105.8300, 29.4000), 0), ((105.81523352846094, 29.4009694), 1800)], 30, 8.0, 0, 1.0), 360),
}
for mine, shafts in MINES.items():
    start = (shafts[0][0], shafts[0][1] - 0.0027)
    tracks[f"patrol-{mine}.gpx"] = (f"巡查 {mine}", walk([start, *shafts], 20, 1.2, 240, 1.5), 350)
for file, (name, fixes, ele) in tracks.items():
    with open(f"data/demo/{file}", "w", encoding="utf-8") as out:
        out.write(gpx(name, fixes, ele))
    print(file, len(fixes), "fixes,", fixes[-1][2] - fixes[0][2])
