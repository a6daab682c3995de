/* Visor: búsqueda (contrato 2, /capas/buscar/?q=): elegir un resultado acerca y resalta el elemento.
 * Si la búsqueda aún no está instalada en el servidor, la caja no aparece.
 */
(function () {
  "use strict";
  const V = window.Visor;
  const url = V.conf.urls.buscar;
  if (!url) return;
  const caja = document.getElementById("visor-busqueda");
  const entrada = document.getElementById("visor-buscar");
  const lista = document.getElementById("visor-resultados");
  caja.hidden = false;
  let espera = null;
  let control = null;
  let resultados = [];

  function elegir(r) {
    lista.hidden = true;
    entrada.value = r.etiqueta;
    if (!V.estado.visibles.has(r.capa) && V.capas[r.capa]) V.encender(r.capa, true);
    V.acercar(r.bbox, 17);
    V.seleccionar(r.capa, r.id);
  }

  async function buscar(texto) {
    if (control) control.abort();
    if (texto.trim().length < 2) { lista.hidden = true; return; }
    control = new AbortController();
    try {
      const r = await fetch(`${url}?${new URLSearchParams({ q: texto })}`, { credentials: "same-origin", signal: control.signal });
      if (!r.ok) throw new Error(`Búsqueda: ${r.status}`);
      resultados = (await r.json()).resultados;
    } catch (error) {
      if (error.name === "AbortError") return;
      resultados = [];
    }
    lista.innerHTML = resultados.length
      ? resultados.map((r, i) => `<li role="option" data-i="${i}">${V.escapar(r.etiqueta)}<small>${V.escapar(r.titulo_capa)}</small></li>`).join("")
      : '<li class="nota">Sin resultados</li>';
    lista.hidden = false;
  }

  entrada.addEventListener("input", () => { clearTimeout(espera); espera = setTimeout(() => buscar(entrada.value), 250); });
  entrada.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && resultados.length) { e.preventDefault(); elegir(resultados[0]); }
    if (e.key === "Escape") lista.hidden = true;
  });
  lista.addEventListener("click", (e) => {
    const li = e.target.closest("li[data-i]");
    if (li) elegir(resultados[Number(li.dataset.i)]);
  });
  document.addEventListener("click", (e) => { if (!caja.contains(e.target)) lista.hidden = true; });
})();
