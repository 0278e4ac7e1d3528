// Material fetches the search index (the largest file a page loads after the theme's own) as soon
// as a page opens, for a search most readers never make. This holds that one request back until
// the reader opens search: the search box gets the focus, or the phone's search toggle opens it.
// The hook puts it in <head>, to run before the theme's script makes the request.
(() => {
  const open = XMLHttpRequest.prototype.open;
  const send = XMLHttpRequest.prototype.send;
  const held = [];
  let searching = false;
  const start = () => {
    searching = true;
    held.splice(0).forEach(([request, args]) => send.apply(request, args));
  };
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.searchIndex = /\/search\/search_index\.json$/.test(String(url));
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...args) {
    if (this.searchIndex && !searching) return void held.push([this, args]);
    return send.apply(this, args);
  };
  document.addEventListener("focusin", (event) => {
    if (!searching && event.target.matches(".md-search__input")) start();
  });
  document.addEventListener("change", (event) => {
    if (!searching && event.target.id === "__search") start();
  });
})();
