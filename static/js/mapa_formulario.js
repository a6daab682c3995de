/* Mapas de los formularios: íconos locales y el límite comunal como referencia (sin teselas). */
(function () {
  "use strict";
  var estaticos = document.currentScript.src.replace(/js\/[^/]+$/, "");
  // Leaflet deduce la carpeta de íconos del CSS; con nombres con hash la deduce mal.
  L.Icon.Default.imagePath = estaticos + "leaflet/images/";

  // Un formulario puede tener varios mapas (p. ej. ubicación y área): el límite se pide una vez.
  var limite = null;

  window.addEventListener("map:init", function (evento) {
    var mapa = evento.detail.map;
    // Registro de los mapas de la página, para depurar y para las pruebas en navegador.
    window.territorioMapas = window.territorioMapas || {};
    window.territorioMapas[evento.detail.id] = mapa;
    var campo = document.getElementById(String(evento.detail.id).replace(/[-_]map$/, ""));
    var vacio = !campo || !campo.value.trim();
    limite = limite || fetch("/comunas/limite.geojson", { credentials: "same-origin" })
      .then(function (respuesta) { return respuesta.ok ? respuesta.json() : null; });
    limite.then(function (datos) {
      if (!datos || !datos.features.length) { return; }
      var capa = L.geoJSON(datos, {
        interactive: false,
        style: { color: "#1f4e5f", weight: 2, fill: false, dashArray: "6 4" },
        pointToLayer: function (rasgo, lugar) {
          return L.circleMarker(lugar, { radius: 4, color: "#1f4e5f", fillOpacity: 1 })
            .bindTooltip(rasgo.properties.nombre, { permanent: true, direction: "right" });
        }
      }).addTo(mapa);
      capa.bringToBack();
      // Sin animación: el mapa queda quieto antes de avisar que está listo (y no salta al cargar).
      if (vacio) { mapa.fitBounds(capa.getBounds(), { animate: false }); }
      mapa.fire("territorio:limite");
      mapa.territorioListo = true;
    });
  });
})();
