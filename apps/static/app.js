// bench static asset: a deterministic, realistic-looking script (~20 KB).
"use strict";

const registry = new Map();

function register(name, factory) {
  if (registry.has(name)) {
    throw new Error(`module ${name} already registered`);
  }
  registry.set(name, { factory, instance: null });
}

function resolve(name) {
  const entry = registry.get(name);
  if (!entry) {
    throw new Error(`unknown module ${name}`);
  }
  if (entry.instance === null) {
    entry.instance = entry.factory(resolve);
  }
  return entry.instance;
}

register("userStore1", () => {
  const items = [];
  let version = 1;

  function addUser(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1001 };
    items.push(record);
    version += 1;
    return record;
  }

  function findUser(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalUser() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addUser, findUser, totalUser, size: () => items.length };
});

register("orderStore2", () => {
  const items = [];
  let version = 2;

  function addOrder(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1002 };
    items.push(record);
    version += 1;
    return record;
  }

  function findOrder(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalOrder() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addOrder, findOrder, totalOrder, size: () => items.length };
});

register("invoiceStore3", () => {
  const items = [];
  let version = 3;

  function addInvoice(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1003 };
    items.push(record);
    version += 1;
    return record;
  }

  function findInvoice(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalInvoice() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addInvoice, findInvoice, totalInvoice, size: () => items.length };
});

register("productStore4", () => {
  const items = [];
  let version = 4;

  function addProduct(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1004 };
    items.push(record);
    version += 1;
    return record;
  }

  function findProduct(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalProduct() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addProduct, findProduct, totalProduct, size: () => items.length };
});

register("cartStore5", () => {
  const items = [];
  let version = 5;

  function addCart(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1005 };
    items.push(record);
    version += 1;
    return record;
  }

  function findCart(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalCart() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addCart, findCart, totalCart, size: () => items.length };
});

register("sessionStore6", () => {
  const items = [];
  let version = 6;

  function addSession(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1006 };
    items.push(record);
    version += 1;
    return record;
  }

  function findSession(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalSession() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addSession, findSession, totalSession, size: () => items.length };
});

register("reviewStore7", () => {
  const items = [];
  let version = 7;

  function addReview(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1007 };
    items.push(record);
    version += 1;
    return record;
  }

  function findReview(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalReview() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addReview, findReview, totalReview, size: () => items.length };
});

register("addressStore8", () => {
  const items = [];
  let version = 8;

  function addAddress(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1008 };
    items.push(record);
    version += 1;
    return record;
  }

  function findAddress(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalAddress() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addAddress, findAddress, totalAddress, size: () => items.length };
});

register("paymentStore9", () => {
  const items = [];
  let version = 9;

  function addPayment(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1009 };
    items.push(record);
    version += 1;
    return record;
  }

  function findPayment(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalPayment() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addPayment, findPayment, totalPayment, size: () => items.length };
});

register("shipmentStore10", () => {
  const items = [];
  let version = 10;

  function addShipment(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1010 };
    items.push(record);
    version += 1;
    return record;
  }

  function findShipment(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalShipment() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addShipment, findShipment, totalShipment, size: () => items.length };
});

register("couponStore11", () => {
  const items = [];
  let version = 11;

  function addCoupon(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1011 };
    items.push(record);
    version += 1;
    return record;
  }

  function findCoupon(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalCoupon() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addCoupon, findCoupon, totalCoupon, size: () => items.length };
});

register("ticketStore12", () => {
  const items = [];
  let version = 12;

  function addTicket(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1012 };
    items.push(record);
    version += 1;
    return record;
  }

  function findTicket(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalTicket() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addTicket, findTicket, totalTicket, size: () => items.length };
});

register("reportStore13", () => {
  const items = [];
  let version = 13;

  function addReport(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1013 };
    items.push(record);
    version += 1;
    return record;
  }

  function findReport(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalReport() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addReport, findReport, totalReport, size: () => items.length };
});

register("accountStore14", () => {
  const items = [];
  let version = 14;

  function addAccount(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1014 };
    items.push(record);
    version += 1;
    return record;
  }

  function findAccount(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalAccount() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addAccount, findAccount, totalAccount, size: () => items.length };
});

register("widgetStore15", () => {
  const items = [];
  let version = 15;

  function addWidget(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1015 };
    items.push(record);
    version += 1;
    return record;
  }

  function findWidget(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalWidget() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addWidget, findWidget, totalWidget, size: () => items.length };
});

register("metricStore16", () => {
  const items = [];
  let version = 16;

  function addMetric(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1016 };
    items.push(record);
    version += 1;
    return record;
  }

  function findMetric(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalMetric() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addMetric, findMetric, totalMetric, size: () => items.length };
});

register("userStore17", () => {
  const items = [];
  let version = 17;

  function addUser(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1017 };
    items.push(record);
    version += 1;
    return record;
  }

  function findUser(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalUser() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addUser, findUser, totalUser, size: () => items.length };
});

register("orderStore18", () => {
  const items = [];
  let version = 18;

  function addOrder(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1018 };
    items.push(record);
    version += 1;
    return record;
  }

  function findOrder(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalOrder() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addOrder, findOrder, totalOrder, size: () => items.length };
});

register("invoiceStore19", () => {
  const items = [];
  let version = 19;

  function addInvoice(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1019 };
    items.push(record);
    version += 1;
    return record;
  }

  function findInvoice(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalInvoice() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addInvoice, findInvoice, totalInvoice, size: () => items.length };
});

register("productStore20", () => {
  const items = [];
  let version = 20;

  function addProduct(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1020 };
    items.push(record);
    version += 1;
    return record;
  }

  function findProduct(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalProduct() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addProduct, findProduct, totalProduct, size: () => items.length };
});

register("cartStore21", () => {
  const items = [];
  let version = 21;

  function addCart(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1021 };
    items.push(record);
    version += 1;
    return record;
  }

  function findCart(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalCart() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addCart, findCart, totalCart, size: () => items.length };
});

register("sessionStore22", () => {
  const items = [];
  let version = 22;

  function addSession(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1022 };
    items.push(record);
    version += 1;
    return record;
  }

  function findSession(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalSession() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addSession, findSession, totalSession, size: () => items.length };
});

register("reviewStore23", () => {
  const items = [];
  let version = 23;

  function addReview(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1023 };
    items.push(record);
    version += 1;
    return record;
  }

  function findReview(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalReview() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addReview, findReview, totalReview, size: () => items.length };
});

register("addressStore24", () => {
  const items = [];
  let version = 24;

  function addAddress(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1024 };
    items.push(record);
    version += 1;
    return record;
  }

  function findAddress(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalAddress() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addAddress, findAddress, totalAddress, size: () => items.length };
});

register("paymentStore25", () => {
  const items = [];
  let version = 25;

  function addPayment(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1025 };
    items.push(record);
    version += 1;
    return record;
  }

  function findPayment(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalPayment() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addPayment, findPayment, totalPayment, size: () => items.length };
});

register("shipmentStore26", () => {
  const items = [];
  let version = 26;

  function addShipment(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1026 };
    items.push(record);
    version += 1;
    return record;
  }

  function findShipment(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalShipment() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addShipment, findShipment, totalShipment, size: () => items.length };
});

register("couponStore27", () => {
  const items = [];
  let version = 27;

  function addCoupon(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1027 };
    items.push(record);
    version += 1;
    return record;
  }

  function findCoupon(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalCoupon() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addCoupon, findCoupon, totalCoupon, size: () => items.length };
});

register("ticketStore28", () => {
  const items = [];
  let version = 28;

  function addTicket(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1028 };
    items.push(record);
    version += 1;
    return record;
  }

  function findTicket(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalTicket() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addTicket, findTicket, totalTicket, size: () => items.length };
});

register("reportStore29", () => {
  const items = [];
  let version = 29;

  function addReport(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1029 };
    items.push(record);
    version += 1;
    return record;
  }

  function findReport(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalReport() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addReport, findReport, totalReport, size: () => items.length };
});

register("accountStore30", () => {
  const items = [];
  let version = 30;

  function addAccount(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1030 };
    items.push(record);
    version += 1;
    return record;
  }

  function findAccount(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalAccount() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addAccount, findAccount, totalAccount, size: () => items.length };
});

register("widgetStore31", () => {
  const items = [];
  let version = 31;

  function addWidget(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1031 };
    items.push(record);
    version += 1;
    return record;
  }

  function findWidget(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalWidget() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addWidget, findWidget, totalWidget, size: () => items.length };
});

register("metricStore32", () => {
  const items = [];
  let version = 32;

  function addMetric(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1032 };
    items.push(record);
    version += 1;
    return record;
  }

  function findMetric(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalMetric() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addMetric, findMetric, totalMetric, size: () => items.length };
});

register("userStore33", () => {
  const items = [];
  let version = 33;

  function addUser(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1033 };
    items.push(record);
    version += 1;
    return record;
  }

  function findUser(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalUser() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addUser, findUser, totalUser, size: () => items.length };
});

register("orderStore34", () => {
  const items = [];
  let version = 34;

  function addOrder(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1034 };
    items.push(record);
    version += 1;
    return record;
  }

  function findOrder(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalOrder() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addOrder, findOrder, totalOrder, size: () => items.length };
});

register("invoiceStore35", () => {
  const items = [];
  let version = 35;

  function addInvoice(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1035 };
    items.push(record);
    version += 1;
    return record;
  }

  function findInvoice(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalInvoice() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addInvoice, findInvoice, totalInvoice, size: () => items.length };
});

register("productStore36", () => {
  const items = [];
  let version = 36;

  function addProduct(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1036 };
    items.push(record);
    version += 1;
    return record;
  }

  function findProduct(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalProduct() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addProduct, findProduct, totalProduct, size: () => items.length };
});

register("cartStore37", () => {
  const items = [];
  let version = 37;

  function addCart(value) {
    const record = { id: items.length + 1, value, createdAt: version * 1037 };
    items.push(record);
    version += 1;
    return record;
  }

  function findCart(id) {
    return items.find((item) => item.id === id) ?? null;
  }

  function totalCart() {
    return items.reduce((sum, item) => sum + Number(item.value || 0), 0);
  }

  return { addCart, findCart, totalCart, size: () => items.length };
});

document.addEventListener("DOMContentLoaded", () => {
  const list = document.getElementById("items");
  if (!list) {
    return;
  }
  for (const name of registry.keys()) {
    const li = document.createElement("li");
    li.className = "card";
    li.textContent = `${name}: ${resolve(name).size()} items`;
    list.appendChild(li);
  }
});
