/* Mapa de dibujo de los formularios (Leaflet + Leaflet-Geoman, recursos locales).

   La geometría que se dibuja o edita queda como GeoJSON (EPSG:4326) en el campo oculto del
   formulario; el servidor la valida de nuevo (motivo y lugar, comuna). Ajusta (snapping) a los
   registros vecinos del mismo tipo, no deja autointersecciones, mide longitud y área en es-CL y
   usa el mapa base y las capas de contexto de mapa_formulario.js (evento «map:init»). */
(function () {
  "use strict";
  var nodoConfig = document.getElementById("dibujo-configuracion");
  if (!nodoConfig || !window.L || !L.PM) { return; }
  var config = JSON.parse(nodoConfig.textContent);
  var campo = document.getElementById(config.campo);
  var contenedor = document.getElementById(config.campo + "-map");
  var medida = document.getElementById("dibujo-medida");
  var barra = document.querySelector(".dibujo-barra");
  var numero = new Intl.NumberFormat("es-CL", { maximumFractionDigits: 0 });
  var decimal = new Intl.NumberFormat("es-CL", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var RADIO = 6378137;
  var ESTILO = { color: "#d35400", weight: 3, fillColor: "#f39c12", fillOpacity: 0.25 };
  var OPCIONES = { continueDrawing: false, snappable: true, snapDistance: 15, allowSelfIntersection: false, templineStyle: ESTILO, hintlineStyle: { color: "#d35400", dashArray: "5,5" }, pathOptions: ESTILO };

  var mapa = L.map(contenedor, { center: [-38.99, -73.1], zoom: 11, keyboard: true });
  L.control.scale({ imperial: false, position: "bottomleft" }).addTo(mapa);
  // Textos de Geoman en español de Chile, tratando de «usted» como el resto del sitio.
  mapa.pm.setLang("es-CL", {
    tooltips: {
      placeMarker: "Haga clic donde va el punto",
      firstVertex: "Haga clic para poner el primer vértice",
      continueLine: "Haga clic para seguir dibujando",
      finishLine: "Haga clic en el último vértice (o «Terminar») para terminar",
      finishPoly: "Haga clic en el primer vértice (o «Terminar») para cerrar el polígono"
    }
  }, "es");
  mapa.pm.setGlobalOptions(OPCIONES);
  // Lo que se edita (pmIgnore: false) va en su grupo; los vecinos solo sirven para ajustar.
  var grupo = L.featureGroup().addTo(mapa);
  var forma = null;  // forma que se está dibujando (Marker, Line, Polygon) o null
  var editando = false;

  function capaDe(geometria) {
    var capa = L.GeoJSON.geometryToLayer({ type: "Feature", geometry: geometria, properties: {} }, {
      style: function () { return ESTILO; }, pmIgnore: false
    });
    if (capa.setStyle) { capa.setStyle(ESTILO); }
    return capa;
  }

  function partesDe(geometria) {
    // Una geometría Multi* se edita parte por parte: cada una es una capa del grupo.
    if (!geometria) { return []; }
    var simple = { MultiPoint: "Point", MultiLineString: "LineString", MultiPolygon: "Polygon" }[geometria.type];
    if (!simple) { return [geometria]; }
    return geometria.coordinates.map(function (c) { return { type: simple, coordinates: c }; });
  }

  function cargar() {
    var texto = campo.value.trim();
    if (!texto) { return; }
    try {
      var datos = JSON.parse(texto);
      partesDe(datos.type === "Feature" ? datos.geometry : datos).forEach(function (g) { grupo.addLayer(capaDe(g)); });
    } catch (e) {
      medida.textContent = "No se pudo leer el dibujo anterior: vuelva a dibujarlo.";
    }
  }

  function geometria() {
    var partes = [];
    grupo.eachLayer(function (capa) { partes.push(capa.toGeoJSON().geometry); });
    if (!partes.length) { return null; }
    var tipos = partes.map(function (g) { return g.type; });
    if (partes.length === 1 && !(config.multi && tipos[0] === "Polygon")) { return partes[0]; }
    if (tipos.every(function (t) { return t === tipos[0]; })) {
      return { type: "Multi" + tipos[0], coordinates: partes.map(function (g) { return g.coordinates; }) };
    }
    return { type: "GeometryCollection", geometries: partes };
  }

  function sincronizar() {
    var g = geometria();
    campo.value = g ? JSON.stringify(g) : "";
    mostrarMedida();
  }

  // --- Medición en el UTM de la comuna (como el servidor y el visor); sin él, sobre la esfera.
  var utm = config.proj4 && window.proj4 ? window.proj4("EPSG:4326", config.proj4) : null;
  function plano(ll) { return utm.forward([ll.lng, ll.lat]); }

  function tramo(a, b) {
    if (!utm) { return mapa.distance(a, b); }
    var p = plano(a), q = plano(b);
    return Math.sqrt((q[0] - p[0]) * (q[0] - p[0]) + (q[1] - p[1]) * (q[1] - p[1]));
  }

  function longitud(puntos, cerrado) {
    var total = 0;
    for (var i = 1; i < puntos.length; i++) { total += tramo(puntos[i - 1], puntos[i]); }
    if (cerrado && puntos.length > 2) { total += tramo(puntos[puntos.length - 1], puntos[0]); }
    return total;
  }

  function area(puntos) {
    var total = 0, i, n = puntos.length;
    if (utm) {
      var xy = puntos.map(plano);
      for (i = 0; i < n; i++) { total += xy[i][0] * xy[(i + 1) % n][1] - xy[(i + 1) % n][0] * xy[i][1]; }
      return Math.abs(total / 2);
    }
    var rad = Math.PI / 180;
    for (i = 0; i < n; i++) {
      var p1 = puntos[i], p2 = puntos[(i + 1) % n];
      total += (p2.lng - p1.lng) * rad * (2 + Math.sin(p1.lat * rad) + Math.sin(p2.lat * rad));
    }
    return Math.abs(total * RADIO * RADIO / 2);
  }

  function textoLongitud(m) { return m < 1000 ? numero.format(m) + " m" : decimal.format(m / 1000) + " km"; }
  function textoArea(m2) {
    return m2 < 10000 ? numero.format(m2) + " m²" : decimal.format(m2 / 10000) + " ha (" + numero.format(m2) + " m²)";
  }

  function anillos(capa) {
    // Anillos exteriores de un polígono (o de cada parte), sin los huecos.
    var ll = capa.getLatLngs();
    while (ll.length && Array.isArray(ll[0]) && Array.isArray(ll[0][0])) { ll = ll[0]; }
    return Array.isArray(ll[0]) ? ll : [ll];
  }

  function describir(capas) {
    var superficie = 0, perimetro = 0, largo = 0, puntos = 0;
    capas.forEach(function (capa) {
      if (capa instanceof L.Polygon) {
        anillos(capa).forEach(function (a, i) { superficie += (i === 0 ? 1 : -1) * area(a); if (i === 0) { perimetro += longitud(a, true); } });
      } else if (capa instanceof L.Polyline) {
        largo += longitud(capa.getLatLngs(), false);
      } else if (capa.getLatLng) {
        puntos += 1;
      }
    });
    if (superficie) { return "Área: " + textoArea(superficie) + " · Perímetro: " + textoLongitud(perimetro); }
    if (largo) { return "Longitud: " + textoLongitud(largo); }
    if (puntos) {
      var p = capas[0].getLatLng();
      return "Punto en lat " + p.lat.toFixed(6).replace(".", ",") + ", lon " + p.lng.toFixed(6).replace(".", ",");
    }
    return "Sin dibujo.";
  }

  function mostrarMedida() { medida.textContent = describir(grupo.getLayers()); }

  function medirTrazo(cursor) {
    // En vivo mientras se dibuja: los vértices puestos más el cursor.
    var trazo = forma && mapa.pm.Draw[forma] && mapa.pm.Draw[forma]._layer;
    if (!trazo || !trazo.getLatLngs) { return; }
    var puntos = trazo.getLatLngs().slice();
    if (cursor) { puntos.push(cursor); }
    if (forma === "Polygon" && puntos.length > 2) {
      medida.textContent = "Área: " + textoArea(area(puntos)) + " · Perímetro: " + textoLongitud(longitud(puntos, true));
    } else if (puntos.length > 1) {
      medida.textContent = "Longitud: " + textoLongitud(longitud(puntos, false));
    }
  }

  // --- Herramientas (botones con etiqueta: se usan con el teclado).
  function botones(selector) { return barra.querySelectorAll(selector); }

  function ponerEnMira() {
    // Teclado: el vértice (o el punto) va al centro del mapa, marcado con una mira; las flechas
    // mueven el mapa y +/- acercan. Usa la misma vía que un clic (ajuste y autointersección incluidos).
    var dibujo = forma && mapa.pm.Draw[forma];
    if (!dibujo) { return; }
    var centro = mapa.getCenter();
    dibujo._hintMarker._snapped = false;
    dibujo._hintMarker.setLatLng(centro);
    if (forma === "Marker") { dibujo._createMarker({ latlng: centro }); } else { dibujo._createVertex({ latlng: centro }); }
    if (forma) { medirTrazo(null); }
  }

  function mostrarTrazo(activo) {
    contenedor.classList.toggle("dibujando", activo);
    botones("[data-accion=mira]").forEach(function (b) { b.hidden = !activo; });
    botones("[data-accion=terminar]").forEach(function (b) { b.hidden = !activo || forma === "Marker"; });
    botones("[data-accion=cancelar]").forEach(function (b) { b.hidden = !activo; });
    botones("[data-forma]").forEach(function (b) { b.setAttribute("aria-pressed", String(activo && b.dataset.forma === forma)); });
  }

  function alternarEdicion(activar) {
    editando = activar;
    grupo.eachLayer(function (capa) {
      if (activar) { capa.pm.enable(L.extend({}, OPCIONES, { allowSelfIntersection: false, preventMarkerRemoval: false })); } else { capa.pm.disable(); }
    });
    botones("[data-accion=editar]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(activar));
      b.textContent = activar ? "Terminar edición" : "Editar vértices";
    });
  }

  function dibujar(nueva) {
    alternarEdicion(false);
    forma = nueva;
    mapa.pm.enableDraw(nueva, OPCIONES);
    mostrarTrazo(true);
    contenedor.focus();
  }

  function cancelar() {
    if (forma) { mapa.pm.disableDraw(); }
    forma = null;
    mostrarTrazo(false);
    mostrarMedida();
  }

  barra.addEventListener("click", function (evento) {
    var boton = evento.target.closest("button");
    if (!boton) { return; }
    if (boton.dataset.forma) { dibujar(boton.dataset.forma); return; }
    var accion = boton.dataset.accion;
    if (accion === "terminar" && forma && mapa.pm.Draw[forma]._finishShape) { mapa.pm.Draw[forma]._finishShape(); }
    if (accion === "cancelar") { cancelar(); }
    if (accion === "mira") { ponerEnMira(); }
    if (accion === "editar") { cancelar(); alternarEdicion(!editando); }
    if (accion === "borrar") { cancelar(); alternarEdicion(false); grupo.clearLayers(); sincronizar(); }
  });
  document.addEventListener("keydown", function (evento) { if (evento.key === "Escape" && forma) { cancelar(); } });
  contenedor.addEventListener("keydown", function (evento) {
    if (evento.key === "Enter" && forma) { evento.preventDefault(); ponerEnMira(); }
  });

  mapa.on("pm:create", function (evento) {
    var capa = evento.layer;
    mapa.removeLayer(capa);
    // Una sola geometría por registro: solo los polígonos de un Multi se suman como partes.
    if (!(config.multi && evento.shape === "Polygon")) { grupo.clearLayers(); }
    capa.options.pmIgnore = false;
    grupo.addLayer(capa);
    forma = null;
    mostrarTrazo(false);
    sincronizar();
  });
  mapa.on("pm:drawend", function () { forma = null; mostrarTrazo(false); mostrarMedida(); });
  mapa.on("mousemove", function (evento) { if (forma) { medirTrazo(evento.latlng); } });
  grupo.on("pm:edit pm:markerdragend pm:vertexremoved", sincronizar);
  grupo.on("pm:markerdrag pm:drag", mostrarMedida);
  grupo.on("pm:intersect", function () { medida.textContent = "Ese cambio cruzaría el borde consigo mismo: no se aplicó."; });
  mapa.on("pm:drawstart", function (evento) {
    evento.workingLayer.on("pm:intersect", function () { medida.textContent = "Ese vértice cruzaría el borde: póngalo en otro lugar."; });
  });

  // --- Vecinos del mismo tipo (grises): solo para ajustar, no se editan.
  var vecinos = L.geoJSON(config.vecinos, {
    pmIgnore: true, snapIgnore: false, interactive: false,
    style: function () { return { color: "#566573", weight: 1.5, dashArray: "4,3", fillOpacity: 0.08 }; },
    pointToLayer: function (rasgo, lugar) { return L.circleMarker(lugar, { radius: 5, color: "#566573", weight: 1.5, fillOpacity: 0.4, pmIgnore: true, snapIgnore: false, interactive: false }); }
  }).addTo(mapa);

  // Otras entidades de referencia (p. ej. los inmuebles bajo un activo o una concesión): también ajustan.
  (config.referencias || []).forEach(function (coleccion) {
    L.geoJSON(coleccion, {
      pmIgnore: true, snapIgnore: false, interactive: false,
      style: function () { return { color: "#1e8449", weight: 1.5, dashArray: "2,4", fillOpacity: 0.05, className: "dibujo-referencia" }; }
    }).addTo(mapa);
  });

  // En un conflicto: la geometría guardada por el otro usuario, de referencia (y para ajustar a ella).
  if (config.actual) {
    L.geoJSON(config.actual, {
      pmIgnore: true, snapIgnore: false, interactive: false,
      style: function () { return { color: "#7d3c98", weight: 3, dashArray: "6,5", fill: false, className: "dibujo-version-actual" }; },
      pointToLayer: function (rasgo, lugar) { return L.circleMarker(lugar, { radius: 9, color: "#7d3c98", weight: 3, fill: false, dashArray: "4,3", className: "dibujo-version-actual", pmIgnore: true, snapIgnore: false }); }
    }).addTo(mapa);
  }

  // Lugar del error que informó el servidor (p. ej. dónde se cruza un anillo).
  var marcaError = null;
  if (config.lugar_error) {
    marcaError = L.circleMarker([config.lugar_error[1], config.lugar_error[0]], {
      radius: 11, color: "#c0392b", weight: 3, fillColor: "#e74c3c", fillOpacity: 0.5, pmIgnore: true, snapIgnore: true
    }).bindTooltip("Aquí está el problema", { permanent: true, direction: "top" }).addTo(mapa);
  }

  function encuadrar() {
    if (marcaError) { mapa.setView(marcaError.getLatLng(), Math.max(mapa.getZoom(), 16), { animate: false }); return; }
    if (grupo.getLayers().length) { mapa.fitBounds(grupo.getBounds(), { maxZoom: 17, animate: false, padding: [20, 20] }); return; }
    if (config.centro) { mapa.setView([config.centro.lat, config.centro.lon], config.centro.zoom, { animate: false }); }
  }

  mapa.on("territorio:limite", function () {
    // Las capas de contexto (comuna, localidades) no se editan ni atraen el dibujo.
    (mapa.territorioContexto || []).forEach(function (capa) {
      capa.eachLayer(function (c) { c.options.pmIgnore = true; c.options.snapIgnore = true; });
    });
    encuadrar();
    contenedor.dataset.listo = "1";
  });

  cargar();
  mostrarMedida();
  encuadrar();
  if (!grupo.getLayers().length && !config.centro && vecinos.getLayers().length) {
    mapa.fitBounds(vecinos.getBounds(), { maxZoom: 15, animate: false });
  }
  // mapa_formulario.js pone el mapa base y las capas de contexto (y avisa con «territorio:limite»).
  window.dispatchEvent(new CustomEvent("map:init", { detail: { map: mapa, id: contenedor.id } }));
  contenedor.tabIndex = 0;
  window.Dibujo = { mapa: mapa, grupo: grupo, sincronizar: sincronizar, describir: describir };
})();
