/* Análisis de superposición: el GeoJSON pegado se carga en el mapa de dibujo (dibujo.js) para verlo
   y ajustarlo antes de analizar. Cargado, el texto se vacía: manda lo que está en el mapa. */
(function () {
  "use strict";
  var area = document.getElementById("id_pegado");
  var estado = document.getElementById("pegado-estado");
  if (!area || !window.Dibujo || !window.L) { return; }
  var ESTILO = { color: "#d35400", weight: 3, fillColor: "#f39c12", fillOpacity: 0.25 };

  function avisar(texto) { estado.hidden = !texto; estado.textContent = texto || ""; }

  function poligonos(datos) {
    if (datos && datos.type === "FeatureCollection") {
      if ((datos.features || []).length !== 1) { throw new Error("La colección tiene " + (datos.features || []).length + " elementos: pegue uno solo."); }
      datos = datos.features[0];
    }
    if (datos && datos.type === "Feature") { datos = datos.geometry; }
    if (!datos || (datos.type !== "Polygon" && datos.type !== "MultiPolygon")) { throw new Error("Lo pegado no es un polígono."); }
    return datos.type === "Polygon" ? [datos.coordinates] : datos.coordinates;
  }

  function cargar() {
    var texto = area.value.trim();
    if (!texto) { avisar(""); return; }
    var partes;
    try { partes = poligonos(JSON.parse(texto)); } catch (e) {
      avisar("No se pudo leer: " + (e instanceof SyntaxError ? "no es GeoJSON válido (revise comillas y corchetes)." : e.message));
      return;
    }
    Dibujo.grupo.clearLayers();
    partes.forEach(function (coordenadas) {
      var capa = L.GeoJSON.geometryToLayer({ type: "Feature", properties: {}, geometry: { type: "Polygon", coordinates: coordenadas } }, { pmIgnore: false });
      capa.setStyle(ESTILO);
      Dibujo.grupo.addLayer(capa);
    });
    Dibujo.sincronizar();
    // Las coordenadas pegadas van tal cual (toGeoJSON de Leaflet las redondea a 6 decimales); si
    // luego se editan vértices en el mapa, dibujo.js vuelve a escribir el campo.
    document.getElementById("id_geometria").value = JSON.stringify({ type: "MultiPolygon", coordinates: partes });
    Dibujo.mapa.fitBounds(Dibujo.grupo.getBounds(), { maxZoom: 17, animate: false, padding: [20, 20] });
    area.value = "";
    avisar("Se cargó en el mapa: " + Dibujo.describir(Dibujo.grupo.getLayers()) + ".");
  }

  area.addEventListener("change", cargar);
  area.addEventListener("paste", function () { window.setTimeout(cargar, 0); });
})();
