/* Visor: permalink. La URL (#b=o,s,e,n&c=capas&s=capa:id&o=opacidades&<capa>.f_x=…) guarda la
 * extensión, las capas visibles, sus filtros y opacidad y el elemento seleccionado; nucleo.js la lee
 * al abrir. Se reescribe con replaceState (sin llenar el historial) cada vez que algo cambia.
 */
(function () {
  "use strict";
  const V = window.Visor;
  const { mapa, estado } = V;
  const r = (v) => v.toFixed(5);

  function permalink() {
    const l = mapa.getBounds();
    const p = new URLSearchParams();
    p.set("b", [l.getWest(), l.getSouth(), l.getEast(), l.getNorth()].map(r).join(","));
    p.set("c", V.visiblesEnOrden().join(","));
    if (estado.seleccion) p.set("s", `${estado.seleccion.capa}:${estado.seleccion.id}`);
    const opacidades = Object.entries(estado.opacidad).filter(([, v]) => v !== 1).map(([n, v]) => `${n}:${v}`);
    if (opacidades.length) p.set("o", opacidades.join(","));
    V.conf.capas.forEach((c) => V.parametrosFiltro(c.nombre, true).forEach(([k, v]) => p.append(k, v)));
    const url = new URL(window.location.href);
    url.hash = p.toString().replace(/%2C/g, ",").replace(/%3A/g, ":");
    return url.toString();
  }
  function actualizar() { window.history.replaceState(null, "", permalink()); }

  mapa.on("moveend", actualizar);
  V.escuchar("estado", actualizar);
  V.permalink = permalink;
  if (estado.seleccion) V.seleccionar(estado.seleccion.capa, estado.seleccion.id);
  actualizar();

  document.getElementById("btn-enlace").addEventListener("click", async (e) => {
    const enlace = permalink();
    try {
      await navigator.clipboard.writeText(enlace);
      e.target.textContent = "Enlace copiado";
    } catch (error) {
      window.prompt("Copie el enlace a esta vista:", enlace);
    }
    setTimeout(() => { e.target.textContent = "Enlace"; }, 2000);
  });
  V.listo = true;
  document.getElementById("visor").dataset.listo = "1";
})();
