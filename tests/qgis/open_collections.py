"""Headless QGIS (PyQGIS, Debian python3-qgis) as an official's desktop GIS: opens every OGC API collection of a GeoMine
server with basic auth (user name + API token), counts each layer's features by iterating them, and renders the
reference layers to a PNG.

usage: python3 open_collections.py BASE_URL USER TOKEN OUT_DIR COLLECTION...
prints one JSON object {collection: count or "invalid: reason", "tiles:shafts": true/false} on stdout. The vector tiles
of the shafts are drawn too, through a basic-auth configuration in a throw-away QGIS auth database (QGIS 3.22 ignores
http-header: parameters in vector tile URIs).
"""
import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (QgsApplication, QgsAuthMethodConfig, QgsDataSourceUri, QgsMapRendererSequentialJob, QgsMapSettings,
                       QgsRectangle, QgsVectorLayer, QgsVectorTileLayer)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor


def main():
    base, user, token, out_dir, *collections = sys.argv[1:]
    app = QgsApplication([], False)
    app.setPrefixPath("/usr", True)
    app.initQgis()
    counts, layers = {}, []
    for name in collections:
        uri = QgsDataSourceUri()
        uri.setParam("url", base + "/ogc")
        uri.setParam("typename", name)
        uri.setUsername(user)
        uri.setPassword(token)
        layer = QgsVectorLayer(uri.uri(False), name, "OAPIF")
        if not layer.isValid():
            counts[name] = "invalid: " + layer.error().summary()
            continue
        counts[name] = sum(1 for _ in layer.getFeatures())
        layers.append(layer)

    if layers:
        # Areas see-through, so that the towns drawn first do not hide the mines, ponds and shafts drawn above them.
        for layer in layers:
            if layer.geometryType() == 2 and layer.renderer() is not None and hasattr(layer.renderer(), "symbol"):
                layer.renderer().symbol().setOpacity(0.35)
        settings = QgsMapSettings()
        settings.setLayers(list(reversed(layers)))  # QGIS draws the first layer on top: the collections come bottom to top
        settings.setBackgroundColor(QColor(255, 255, 255))
        settings.setOutputSize(QSize(1200, 900))
        extent = QgsRectangle()
        for layer in layers:
            if layer.featureCount() > 0:
                extent.combineExtentWith(layer.extent())
        settings.setExtent(extent)
        job = QgsMapRendererSequentialJob(settings)
        job.start()
        job.waitForFinished()
        job.renderedImage().save(os.path.join(out_dir, "qgis-collections.png"), "png")

    # Vector tiles (XYZ, Web Mercator) of the shafts, with the token as basic auth through an auth configuration.
    auth = QgsApplication.authManager()
    auth.setMasterPassword("geomine-test", True)
    config = QgsAuthMethodConfig("Basic")
    config.setName("geomine")
    config.setConfig("username", user)
    config.setConfig("password", token)
    auth.storeAuthenticationConfig(config)
    tiles = QgsVectorTileLayer(f"type=xyz&url={base}/tiles/shafts/{{z}}/{{x}}/{{y}}.mvt&zmin=0&zmax=14&authcfg={config.id()}", "shafts-tiles")
    counts["tiles:shafts"] = tiles.isValid()
    if tiles.isValid() and layers:
        settings = QgsMapSettings()
        settings.setLayers([tiles])
        settings.setDestinationCrs(tiles.crs())
        settings.setBackgroundColor(QColor(255, 255, 255))
        settings.setOutputSize(QSize(1200, 900))
        from qgis.core import QgsCoordinateTransform, QgsProject
        shafts = next((l for l in layers if l.name() == "shafts"), layers[0])
        to_mercator = QgsCoordinateTransform(shafts.crs(), tiles.crs(), QgsProject.instance())
        settings.setExtent(to_mercator.transformBoundingBox(shafts.extent()).buffered(500))
        job = QgsMapRendererSequentialJob(settings)
        job.start()
        job.waitForFinished()
        image = job.renderedImage()
        image.save(os.path.join(out_dir, "qgis-vector-tiles.png"), "png")
        # Drawn means some pixel is not the white background.
        white = QColor(255, 255, 255).rgb()
        counts["tiles:shafts:drawn"] = any(image.pixel(x, y) != white for x in range(0, image.width(), 4) for y in range(0, image.height(), 4))

    print(json.dumps(counts, ensure_ascii=False), flush=True)
    # QGIS 3.22 can crash in its own teardown once layers were read (exit 139 after exitQgis); the results are out, so
    # leave without running destructors.
    os._exit(0)


main()
