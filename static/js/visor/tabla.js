/* Visor: tabla de atributos de una capa, ligada al mapa.
 *
 * Lee /capas/tabla/<capa>/ (atributos legibles, con los filtros declarados de la capa), y en el
 * navegador ordena y filtra por texto. Elegir una fila resalta el elemento y lo acerca. Exporta lo
 * filtrado: CSV y GeoJSON aquí mismo; GeoPackage por el servidor, con los filtros declarados.
 */
(function () {
  "use strict";
  const V = window.Visor;
  const { conf, estado } = V;
  const panel = document.getElementById("panel-tabla");
  const MAXIMO_FILAS_DOM = 500;
  let actual = null; // {capa, columnas, filas, orden: {columna, asc}, texto}

  function textoFila(fila) {
    return actual.columnas.map((c) => V.legible(fila.atributos[c.nombre])).join(" ").toLowerCase();
  }
  function filtradas() {
    const texto = actual.texto.trim().toLowerCase();
    let filas = texto ? actual.filas.filter((f) => textoFila(f).includes(texto)) : actual.filas.slice();
    const { columna, asc } = actual.orden;
    if (columna) {
      const comparar = new Intl.Collator("es-CL", { numeric: true }).compare;
      filas.sort((a, b) => {
        const x = a.atributos[columna];
        const y = b.atributos[columna];
        if (x === y) return 0;
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        const r = typeof x === "number" && typeof y === "number" ? x - y : comparar(String(x), String(y));
        return asc ? r : -r;
      });
    }
    return filas;
  }

  function pintarCuerpo() {
    const filas = filtradas();
    actual.visibles = filas;
    const sel = estado.seleccion && estado.seleccion.capa === actual.capa ? estado.seleccion.id : null;
    const cuerpo = filas.slice(0, MAXIMO_FILAS_DOM).map((f) =>
      `<tr data-id="${V.escapar(f.id)}"${String(f.id) === sel ? ' class="seleccionada"' : ""}>` +
      actual.columnas.map((c) => `<td>${V.escapar(V.legible(f.atributos[c.nombre]))}</td>`).join("") + "</tr>").join("");
    panel.querySelector("tbody").innerHTML = cuerpo;
    const elementos = (n) => (n === 1 ? "elemento" : "elementos");
    const cuenta = filas.length === actual.filas.length
      ? `${V.numero(filas.length, 0)} ${elementos(filas.length)}`
      : `${V.numero(filas.length, 0)} de ${V.numero(actual.filas.length, 0)} ${elementos(actual.filas.length)}`;
    panel.querySelector(".tabla-cuenta").textContent = cuenta +
      (filas.length > MAXIMO_FILAS_DOM ? ` (se muestran ${V.numero(MAXIMO_FILAS_DOM, 0)})` : "") +
      (actual.truncado ? " · la capa tiene más: acote con los filtros" : "");
    panel.querySelectorAll("th").forEach((th) => {
      const c = th.dataset.columna;
      th.setAttribute("aria-sort", actual.orden.columna === c ? (actual.orden.asc ? "ascending" : "descending") : "none");
      th.querySelector(".orden").textContent = actual.orden.columna === c ? (actual.orden.asc ? " ▲" : " ▼") : "";
    });
  }

  function enlaceGpkg() {
    const p = new URLSearchParams([["capas", actual.capa], ...V.parametrosFiltro(actual.capa)]);
    return `${conf.urls.exportar_gpkg}?${p}`;
  }

  async function abrir(nombre) {
    const capa = V.porNombre[nombre];
    V.tablaAbierta = nombre;
    panel.hidden = false;
    panel.parentElement.classList.add("con-tabla");
    // En el teléfono no caben el panel de capas y la tabla a la vez: queda el mapa arriba.
    if (window.innerWidth <= 700) V.alternarPanel("panel-capas", false);
    panel.innerHTML = `<div class="tabla-cabeza"><h2>${V.escapar(capa.titulo)}</h2><span class="nota">Cargando…</span>
      <button type="button" class="btn-close ms-auto" aria-label="Cerrar tabla" data-cerrar-tabla></button></div>`;
    const p = new URLSearchParams(V.parametrosFiltro(nombre));
    let datos;
    try {
      datos = await V.pedirJSON(`${capa.tabla}?${p}`);
    } catch (error) {
      panel.querySelector(".nota").textContent = error.message;
      return;
    }
    if (V.tablaAbierta !== nombre) return;
    const previo = actual && actual.capa === nombre ? actual : null;
    actual = {
      capa: nombre, columnas: datos.columnas, filas: datos.filas, truncado: datos.truncado,
      orden: previo ? previo.orden : { columna: null, asc: true }, texto: previo ? previo.texto : "",
    };
    const cabeza = datos.columnas.map((c) => `<th scope="col" data-columna="${V.escapar(c.nombre)}">${V.escapar(c.titulo)}<span class="orden"></span></th>`).join("");
    panel.innerHTML = `<div class="tabla-cabeza"><h2>${V.escapar(capa.titulo)}</h2>
        <input type="search" class="form-control form-control-sm" placeholder="Filtrar filas…" aria-label="Filtrar filas" value="${V.escapar(actual.texto)}">
        <span class="tabla-cuenta nota"></span>
        <span class="ms-auto">Exportar lo filtrado:
          <button type="button" class="btn btn-sm btn-outline-secondary" data-exportar="csv">CSV</button>
          <button type="button" class="btn btn-sm btn-outline-secondary" data-exportar="geojson">GeoJSON</button>
          <a class="btn btn-sm btn-outline-secondary" href="${V.escapar(enlaceGpkg())}" data-exportar="gpkg" title="GeoPackage con los filtros de la capa (no el texto)">GeoPackage</a></span>
        <button type="button" class="btn-close" aria-label="Cerrar tabla" data-cerrar-tabla></button></div>
      <div class="tabla-cuerpo"><table><thead><tr>${cabeza}</tr></thead><tbody></tbody></table></div>`;
    pintarCuerpo();
  }

  function descargar(nombreArchivo, tipo, texto) {
    const url = URL.createObjectURL(new Blob([texto], { type: tipo }));
    const a = document.createElement("a");
    a.href = url;
    a.download = nombreArchivo;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
  function celdaCSV(v) {
    const t = v === null || v === undefined ? "" : String(v);
    return /[";\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  }
  async function exportar(formato) {
    const filas = actual.visibles;
    if (formato === "csv") {
      // Punto y coma: la planilla en es-CL usa la coma decimal. BOM para que abra en UTF-8.
      const lineas = [["id", ...actual.columnas.map((c) => c.titulo)].map(celdaCSV).join(";"),
        ...filas.map((f) => [f.id, ...actual.columnas.map((c) => {
          const v = f.atributos[c.nombre];
          return typeof v === "number" ? String(v).replace(".", ",") : v;
        })].map(celdaCSV).join(";"))];
      descargar(`${actual.capa}.csv`, "text/csv;charset=utf-8", "\ufeff" + lineas.join("\r\n"));
      return;
    }
    const capa = V.porNombre[actual.capa];
    const ids = new Map(filas.map((f) => [String(f.id), f]));
    const p = new URLSearchParams(V.parametrosFiltro(actual.capa));
    const datos = await V.pedirJSON(`${capa.geojson}?${p}`);
    datos.features = datos.features.filter((f) => ids.has(String(f.id)))
      .map((f) => ({ ...f, properties: ids.get(String(f.id)).atributos }));
    descargar(`${actual.capa}.geojson`, "application/geo+json", JSON.stringify(datos));
  }

  panel.addEventListener("input", (e) => {
    if (e.target.type === "search") { actual.texto = e.target.value; pintarCuerpo(); }
  });
  panel.addEventListener("click", (e) => {
    if (e.target.closest("[data-cerrar-tabla]")) {
      panel.hidden = true;
      panel.parentElement.classList.remove("con-tabla");
      V.tablaAbierta = null;
      return;
    }
    const th = e.target.closest("th[data-columna]");
    if (th) {
      const c = th.dataset.columna;
      actual.orden = { columna: c, asc: actual.orden.columna === c ? !actual.orden.asc : true };
      pintarCuerpo();
      return;
    }
    const boton = e.target.closest("button[data-exportar]");
    if (boton) { exportar(boton.dataset.exportar); return; }
    const tr = e.target.closest("tbody tr");
    if (tr) {
      panel.querySelectorAll("tr.seleccionada").forEach((x) => x.classList.remove("seleccionada"));
      tr.classList.add("seleccionada");
      if (!estado.visibles.has(actual.capa)) V.encender(actual.capa, true);
      V.seleccionar(actual.capa, tr.dataset.id, { acercar: true });
    }
  });
  V.escuchar("abrir-tabla", (d) => abrir(d.capa));
  V.escuchar("filtros", (d) => { if (V.tablaAbierta === d.capa) abrir(d.capa); });
  V.abrirTabla = abrir;
})();
