/* Mapas de los formularios: íconos locales, el mapa base configurado (si hay) y las capas de
   contexto (comuna, localidades y las de referencia marcadas) bajo lo que se edita.
   Sin mapa base configurado la página no pide nada fuera del servidor. */
(function () {
  "use strict";
  var estaticos = document.currentScript.src.replace(/js\/[^/]+$/, "");
  // Leaflet deduce la carpeta de íconos del CSS; con nombres con hash la deduce mal.
  L.Icon.Default.imagePath = estaticos + "leaflet/images/";

  // Un formulario puede tener varios mapas (p. ej. ubicación y área): cada recurso se pide una vez.
  var configuracion = null;
  var colecciones = {};

  function pedirJSON(url) {
    return fetch(url, { credentials: "same-origin" })
      .then(function (respuesta) { return respuesta.ok ? respuesta.json() : null; })
      .catch(function () { return null; });
  }

  function texto(valor) {
    // La atribución es texto (el modelo rechaza < y >); Leaflet la inserta como HTML.
    var nodo = document.createElement("span");
    nodo.textContent = valor || "";
    return nodo.innerHTML;
  }

  function capaBase(mapa) {
    var opciones = { attribution: texto(mapa.atribucion), maxZoom: 19 };
    if (mapa.tipo === "wms") {
      opciones.layers = mapa.capas;
      opciones.format = mapa.formato;
      opciones.transparent = mapa.transparente;
      return L.tileLayer.wms(mapa.url, opciones);
    }
    return L.tileLayer(mapa.url, opciones);
  }

  function estiloDe(estilo, propiedades) {
    var valor = estilo.campo && propiedades ? propiedades[estilo.campo] : null;
    var propio = valor !== null && valor !== undefined ? estilo.categorias[String(valor)] : null;
    return L.extend({}, estilo.base, propio || {});
  }

  function capaContexto(capa, datos, panel) {
    var puntos = /Point/.test(capa.tipo_geometria);
    return L.geoJSON(datos, {
      pane: panel,
      interactive: false,
      style: function (rasgo) { return estiloDe(capa.estilo, rasgo.properties); },
      pointToLayer: function (rasgo, lugar) {
        var marca = L.circleMarker(lugar, L.extend(estiloDe(capa.estilo, rasgo.properties), { pane: panel }));
        if (puntos && rasgo.properties && rasgo.properties.nombre) {
          // Como texto, no HTML: el nombre viene de una capa importada (Leaflet pondría un string con innerHTML).
          var etiqueta = document.createElement("span");
          etiqueta.textContent = String(rasgo.properties.nombre);
          marca.bindTooltip(etiqueta, { permanent: true, direction: "right" });
        }
        return marca;
      }
    });
  }

  function ponerMapasBase(mapa, lista) {
    if (!lista.length) { return; }
    var capas = {};
    var elegida = null;
    lista.forEach(function (m) {
      var capa = capaBase(m);
      capas[texto(m.titulo)] = capa;
      if (m.por_omision && !elegida) { elegida = capa; }
    });
    // Quien edita puede apagar el mapa base (p. ej. sin internet en terreno).
    var ninguna = L.layerGroup();
    capas["Sin mapa base"] = ninguna;
    (elegida || ninguna).addTo(mapa);
    mapa.territorioMapaBase = elegida;
    L.control.layers(capas, null, { collapsed: true, position: "topright" }).addTo(mapa);
  }

  window.addEventListener("map:init", function (evento) {
    var mapa = evento.detail.map;
    // Registro de los mapas de la página, para depurar y para las pruebas en navegador.
    window.territorioMapas = window.territorioMapas || {};
    window.territorioMapas[evento.detail.id] = mapa;
    var campo = document.getElementById(String(evento.detail.id).replace(/[-_]map$/, ""));
    var vacio = !campo || !campo.value.trim();
    // Bajo lo que se edita (overlayPane, 400) y sobre el mapa base (tilePane, 200).
    var panel = mapa.createPane("territorio-contexto");
    panel.style.zIndex = 350;
    panel.style.pointerEvents = "none";
    configuracion = configuracion || pedirJSON("/capas/referencia/mapa-chico.json");
    configuracion.then(function (config) {
      config = config || { mapas_base: [], contexto: [] };
      ponerMapasBase(mapa, config.mapas_base);
      return Promise.all(config.contexto.map(function (capa) {
        colecciones[capa.nombre] = colecciones[capa.nombre] || pedirJSON(capa.geojson);
        return colecciones[capa.nombre].then(function (datos) {
          return datos && datos.features && datos.features.length ? capaContexto(capa, datos, "territorio-contexto") : null;
        });
      }));
    }).then(function (capas) {
      // De abajo arriba, en el orden de capas_de_contexto(): la primera es la comuna.
      var dibujadas = capas.filter(Boolean);
      dibujadas.forEach(function (capa) { capa.addTo(mapa); });
      mapa.territorioContexto = dibujadas;
      // Sin animación: el mapa queda quieto antes de avisar que está listo (y no salta al cargar).
      if (vacio && dibujadas.length) { mapa.fitBounds(dibujadas[0].getBounds(), { animate: false }); }
      mapa.fire("territorio:limite");
      mapa.territorioListo = true;
    });
  });
})();
