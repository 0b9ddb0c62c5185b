<?php
/*
Plugin Name: Simple Page Cache
Description: Caches rendered pages for anonymous visitors.
Version: 0.4.2
*/
if (!defined('ABSPATH')) { exit; }

function spc_cache_file() {
    return WP_CONTENT_DIR . '/cache/spc/' . md5($_SERVER['HTTP_HOST'] . $_SERVER['REQUEST_URI']) . '.html';
}

function spc_start() {
    if (is_user_logged_in() || $_SERVER['REQUEST_METHOD'] !== 'GET') {
        return;
    }
    $f = spc_cache_file();
    if (is_file($f) && filemtime($f) > time() - 600) {
        readfile($f);
        exit;
    }
    ob_start('spc_store');
}

function spc_store($html) {
    if (strlen($html) > 255) {
        @file_put_contents(spc_cache_file(), $html, LOCK_EX);
    }
    return $html;
}

add_action('template_redirect', 'spc_start', 0);
register_shutdown_function(function () {
    if (ob_get_level() > 0) {
        @ob_end_flush();
    }
});
if (!ini_get('zlib.output_compression')) {
    ob_start('ob_gzhandler');
}
