// Maps (lib/maps.py, communities/maps.py, issues/maps.py): Leaflet from static/vendor, the
// product's own places drawn under its markers. Without a tile source the places are drawn
// on a plain background, so a map works with no outside server.
//
// <div data-map data-layers='[{"kind": "places", "url": …}, …]'> draws each layer's GeoJSON;
// every feature's properties.kind names its style below (STYLES). A new kind of marker is
// one more entry there and one more feature function on the server.
(function () {
  "use strict";

  var configNode = document.getElementById("map-config");
  if (!configNode || !window.L) {
    return;
  }
  var CONFIG = JSON.parse(configNode.textContent);
  var LABELS = CONFIG.labels;
  // Where a map with nothing on it opens (MAP_CENTRE, else all of China).
  var EMPTY = CONFIG.centre;
  var L = window.L;

  function label(key, values) {
    var text = LABELS[key] || key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(values[name]));
    });
    return text;
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (content !== undefined && content !== null) {
      node.textContent = content;
    }
    return node;
  }

  // Markers people open: focusable (Tab), opened with Enter, named for screen readers.
  function named(marker, name) {
    marker.on("add", function () {
      var node = marker.getElement();
      if (node) {
        node.setAttribute("aria-label", name);
      }
    });
    return marker;
  }

  function popupFor(props, lines) {
    var box = element("div", "map-popup");
    var link = element("a", "map-popup-title", props.title);
    link.href = props.url;
    box.appendChild(link);
    lines.forEach(function (line) {
      if (line) {
        box.appendChild(element("div", "small", line));
      }
    });
    return box;
  }

  var STYLES = {
    compound_outline: function (feature) {
      return L.geoJSON(feature, {
        interactive: false,
        style: { color: "#4f6f9f", weight: 2, fillColor: "#8fb0de", fillOpacity: 0.16 },
      });
    },
    compound: function (feature, latlng, context) {
      // A compound with an outline is named above its wall, clear of the markers inside.
      var top = context.tops[feature.properties.id];
      return L.marker(top || latlng, {
        interactive: false,
        keyboard: false,
        icon: L.divIcon({
          className: "map-label map-label--compound" + (top ? " map-label--above" : ""),
          html: "<span></span>",
          iconSize: null,
        }),
      }).on("add", function (event) {
        event.target.getElement().firstChild.textContent = feature.properties.name;
      });
    },
    building: function (feature, latlng) {
      var group = L.layerGroup();
      L.circleMarker(latlng, {
        interactive: false,
        radius: 4,
        color: "#5b6570",
        weight: 1,
        fillColor: "#ffffff",
        fillOpacity: 1,
      }).addTo(group);
      L.marker(latlng, {
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ className: "map-label map-label--building", html: "<span></span>", iconSize: null }),
      })
        .on("add", function (event) {
          event.target.getElement().firstChild.textContent = feature.properties.name;
        })
        .addTo(group);
      return group;
    },
    venue: function (feature, latlng) {
      // A place of deliberation (议事室, 议事亭 …): a square mark and its name with its kind.
      var props = feature.properties;
      var group = L.layerGroup();
      L.circleMarker(latlng, {
        interactive: false,
        radius: 5,
        color: "#8a5a00",
        weight: 2,
        fillColor: "#ffd98a",
        fillOpacity: 1,
      }).addTo(group);
      L.marker(latlng, {
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ className: "map-label map-label--venue", html: "<span></span>", iconSize: null }),
      })
        .on("add", function (event) {
          event.target.getElement().firstChild.textContent = props.name + "（" + props.venue_kind + "）";
        })
        .addTo(group);
      return group;
    },
    issue: function (feature, latlng) {
      var props = feature.properties;
      var name = props.title + "，" + props.labels.category + "，" + props.labels.urgency;
      var marker = L.marker(latlng, {
        title: name,
        keyboard: true,
        riseOnHover: true,
        icon: L.divIcon({
          className: "map-marker map-marker--" + props.issue_kind + " map-marker--" + props.urgency,
          html: '<span class="map-marker-dot" aria-hidden="true"></span>',
          iconSize: [30, 30],
          iconAnchor: [15, 15],
          popupAnchor: [0, -14],
        }),
      });
      marker.bindPopup(
        popupFor(props, [
          [props.labels.category, props.labels.kind, props.labels.urgency, props.labels.status].join(" · "),
          props.place,
          props.own_position ? label("own_position") : label("place_position"),
        ])
      );
      marker.featureKey = "issue:" + props.id;
      return named(marker, name);
    },
    finding: function (feature, latlng) {
      var props = feature.properties;
      var name = label("finding", { n: props.number }) + "：" + props.title;
      var marker = L.marker(latlng, {
        title: name,
        keyboard: true,
        icon: L.divIcon({
          className: "map-marker map-marker--finding",
          html: '<span class="map-marker-number" aria-hidden="true">' + Number(props.number) + "</span>",
          iconSize: [30, 30],
          iconAnchor: [15, 15],
          popupAnchor: [0, -14],
        }),
      });
      marker.bindPopup(popupFor(props, [new Date(props.time).toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" }), props.place]));
      marker.featureKey = "finding:" + props.id;
      return named(marker, name);
    },
    route: function (feature) {
      return L.geoJSON(feature, { interactive: false, style: { color: "#1f5fa8", weight: 4, opacity: 0.85 } });
    },
    route_start: function (feature, latlng) {
      return L.circleMarker(latlng, { interactive: false, radius: 7, color: "#ffffff", weight: 2, fillColor: "#198754", fillOpacity: 1 });
    },
    route_end: function (feature, latlng) {
      return L.circleMarker(latlng, { interactive: false, radius: 7, color: "#ffffff", weight: 2, fillColor: "#b02a37", fillOpacity: 1 });
    },
  };

  function latlngOf(feature) {
    var c = feature.geometry.coordinates;
    return L.latLng(c[1], c[0]);
  }

  function draw(feature, context) {
    var style = STYLES[feature.properties.kind];
    if (!style) {
      return null;
    }
    return style(feature, feature.geometry.type === "Point" ? latlngOf(feature) : null, context);
  }

  // Where each outlined compound's name goes: the middle of its northern edge.
  function outlineTops(features) {
    var tops = {};
    features.forEach(function (feature) {
      if (feature.properties.kind === "compound_outline") {
        var ring = feature.geometry.coordinates[0];
        var north = Math.max.apply(null, ring.map(function (c) { return c[1]; }));
        var west = Math.min.apply(null, ring.map(function (c) { return c[0]; }));
        var east = Math.max.apply(null, ring.map(function (c) { return c[0]; }));
        tops[feature.properties.id] = L.latLng(north, (west + east) / 2);
      }
    });
    return tops;
  }

  function clusterGroup() {
    return L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 45,
      spiderfyOnMaxZoom: true,
      iconCreateFunction: function (cluster) {
        var n = cluster.getChildCount();
        return L.divIcon({
          className: "map-cluster",
          html: '<span aria-hidden="true">' + n + '</span><span class="visually-hidden">' + label("cluster", { n: n }) + "</span>",
          iconSize: [40, 40],
        });
      },
    });
  }

  function makeMap(node) {
    // Who asked for less motion gets none: no fading popups, no animated zoom.
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var map = L.map(node, {
      zoomControl: false,
      attributionControl: true,
      keyboard: true,
      maxZoom: 19,
      fadeAnimation: !still,
      zoomAnimation: !still,
      markerZoomAnimation: !still,
    });
    L.control.zoom({ zoomInTitle: label("zoom_in"), zoomOutTitle: label("zoom_out") }).addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    if (CONFIG.tiles.length) {
      CONFIG.tiles.forEach(function (tiles) {
        L.tileLayer(tiles.url, { subdomains: tiles.subdomains, attribution: tiles.attribution, maxZoom: 19 }).addTo(map);
      });
    } else {
      node.classList.add("map-plain");
      var note = L.control({ position: "bottomleft" });
      note.onAdd = function () {
        return element("div", "map-note", label("plain"));
      };
      note.addTo(map);
    }
    map.on("popupopen", function (event) {
      var popup = event.popup.getElement();
      var close = popup && popup.querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", label("close"));
        close.title = label("close");
      }
      var link = popup && popup.querySelector("a.map-popup-title");
      if (link) {
        link.focus();
      }
    });
    function zoomClass() {
      node.classList.toggle("map-detail", map.getZoom() >= 17);
    }
    map.on("zoomend", zoomClass);
    return map;
  }

  function loadLayers(node, map) {
    var layers = JSON.parse(node.getAttribute("data-layers") || "[]");
    var bounds = L.latLngBounds([]);
    var markers = {};
    var clusters = clusterGroup();
    var loads = layers.map(function (layer) {
      return fetch(layer.url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
        .then(function (response) {
          return response.ok ? response.json() : { features: [] };
        })
        .then(function (collection) {
          return { layer: layer, features: collection.features || [] };
        })
        .catch(function () {
          return { layer: layer, features: [] };
        });
    });
    var layers = [];
    return Promise.all(loads).then(function (results) {
      results.forEach(function (result) {
        var context = { tops: outlineTops(result.features) };
        result.features.forEach(function (feature) {
          var drawn = draw(feature, context);
          if (!drawn) {
            return;
          }
          if (feature.properties.kind === "issue") {
            clusters.addLayer(drawn);
          } else {
            layers.push(drawn);
          }
          if (drawn.featureKey) {
            markers[drawn.featureKey] = drawn;
          }
          if (drawn.getBounds) {
            bounds.extend(drawn.getBounds());
          } else if (feature.geometry.type === "Point") {
            bounds.extend(latlngOf(feature));
          }
        });
      });
      // Drawn once the map has a view (layers cannot be placed before it).
      function add() {
        layers.forEach(function (layer) {
          layer.addTo(map);
        });
        map.addLayer(clusters);
      }
      return { bounds: bounds, markers: markers, clusters: clusters, add: add };
    });
  }

  function show(found, key) {
    var marker = found.markers[key];
    if (!marker) {
      return;
    }
    if (found.clusters.hasLayer(marker)) {
      found.clusters.zoomToShowLayer(marker, function () {
        marker.openPopup();
      });
    } else {
      marker._map.setView(marker.getLatLng(), Math.max(marker._map.getZoom(), 17));
      marker.openPopup();
    }
  }

  // The place forms: click on the map to set the point (or, for a compound, its outline's
  // corners); the fields can be typed too, and the marker follows them.
  function picker(node, map, found) {
    var form = node.closest("form");
    var lat = form.querySelector("[data-map-latitude]");
    var lng = form.querySelector("[data-map-longitude]");
    var outline = form.querySelector("[data-map-outline]");
    var status = form.querySelector("[data-map-status]");
    var mode = "point";
    var marker = null;
    var corners = [];
    var shape = null;

    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }
    function placeMarker(latlng) {
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, keyboard: false, icon: L.divIcon({ className: "map-marker map-marker--pick", html: '<span class="map-marker-dot" aria-hidden="true"></span>', iconSize: [30, 30], iconAnchor: [15, 15] }) }).addTo(map);
        marker.on("dragend", function () {
          setPoint(marker.getLatLng());
        });
      } else {
        marker.setLatLng(latlng);
      }
    }
    function setPoint(latlng) {
      lat.value = latlng.lat.toFixed(6);
      lng.value = latlng.lng.toFixed(6);
      placeMarker(latlng);
      say(label("picked", { lat: lat.value, lng: lng.value }));
    }
    function drawOutline() {
      if (shape) {
        map.removeLayer(shape);
        shape = null;
      }
      if (corners.length >= 2) {
        shape = (corners.length >= 3 ? L.polygon : L.polyline)(corners, { color: "#1f5fa8", weight: 2, fillOpacity: 0.2, interactive: false }).addTo(map);
      }
      if (outline) {
        outline.value =
          corners.length >= 3
            ? JSON.stringify({
                type: "Polygon",
                coordinates: [
                  corners
                    .concat([corners[0]])
                    .map(function (c) {
                      return [Number(c.lng.toFixed(6)), Number(c.lat.toFixed(6))];
                    }),
                ],
              })
            : "";
      }
      if (outline) {
        say(label("outline_points", { n: corners.length }));
      }
    }
    function fromFields() {
      var a = parseFloat(lat.value);
      var b = parseFloat(lng.value);
      if (isFinite(a) && isFinite(b) && Math.abs(a) <= 90 && Math.abs(b) <= 180) {
        placeMarker(L.latLng(a, b));
        return L.latLng(a, b);
      }
      return null;
    }
    if (outline && outline.value) {
      try {
        JSON.parse(outline.value).coordinates[0].slice(0, -1).forEach(function (c) {
          corners.push(L.latLng(c[1], c[0]));
        });
      } catch (error) {
        corners = [];
      }
    }
    var typedLat = parseFloat(lat.value);
    var typedLng = parseFloat(lng.value);
    if (isFinite(typedLat) && isFinite(typedLng)) {
      map.setView([typedLat, typedLng], 17);
    } else if (corners.length >= 3) {
      map.fitBounds(L.latLngBounds(corners), { maxZoom: 17 });
    } else if (found.bounds.isValid()) {
      map.fitBounds(found.bounds, { padding: [20, 20], maxZoom: 17 });
    } else {
      map.setView(EMPTY, CONFIG.zoom);
    }
    if (corners.length) {
      drawOutline();
    }
    fromFields();
    lat.addEventListener("change", fromFields);
    lng.addEventListener("change", fromFields);
    map.on("click", function (event) {
      if (mode === "outline") {
        corners.push(event.latlng);
        drawOutline();
      } else {
        setPoint(event.latlng);
      }
    });
    form.querySelectorAll("[data-map-mode]").forEach(function (button) {
      button.addEventListener("click", function () {
        mode = button.getAttribute("data-map-mode");
        form.querySelectorAll("[data-map-mode]").forEach(function (other) {
          other.setAttribute("aria-pressed", other === button ? "true" : "false");
          other.classList.toggle("active", other === button);
        });
      });
    });
    var undo = form.querySelector("[data-map-undo]");
    if (undo) {
      undo.addEventListener("click", function () {
        corners.pop();
        drawOutline();
      });
    }
    var clear = form.querySelector("[data-map-clear]");
    if (clear) {
      clear.addEventListener("click", function () {
        corners = [];
        drawOutline();
      });
    }
  }

  document.querySelectorAll("[data-map]").forEach(function (node) {
    // No view until the layers say where to look: tiles are asked for only there.
    var map = makeMap(node);
    loadLayers(node, map).then(function (found) {
      if (node.hasAttribute("data-map-picker")) {
        picker(node, map, found);
      } else if (found.bounds.isValid()) {
        map.fitBounds(found.bounds, { padding: [24, 24], maxZoom: 17 });
      } else {
        map.setView(EMPTY, CONFIG.zoom);
        var empty = L.control({ position: "topright" });
        empty.onAdd = function () {
          return element("div", "map-note", label("nothing"));
        };
        empty.addTo(map);
      }
      found.add();
      document.querySelectorAll("[data-map-show]").forEach(function (button) {
        button.addEventListener("click", function () {
          node.scrollIntoView({ block: "nearest" });
          show(found, button.getAttribute("data-map-show"));
        });
      });
      node.setAttribute("data-map-ready", "1");
    });
  });
})();
