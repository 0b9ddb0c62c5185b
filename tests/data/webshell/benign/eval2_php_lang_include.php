<?php
// Loads the language pack chosen by the visitor from a fixed list.
$langs = array('zh_CN', 'en_US');
$lang = in_array($_GET['lang'] ?? '', $langs, true) ? $_GET['lang'] : 'zh_CN';
require __DIR__ . '/lang/' . $lang . '.php';
