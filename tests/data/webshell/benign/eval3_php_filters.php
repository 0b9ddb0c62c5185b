<?php
// Filter API of a CMS: apply_filters runs callbacks plugins registered.
$GLOBALS['filters'] = array();
function add_filter($tag, $cb) { $GLOBALS['filters'][$tag][] = $cb; }
function apply_filters($tag, $value) {
    foreach ($GLOBALS['filters'][$tag] ?? array() as $cb) { $value = call_user_func($cb, $value); }
    return $value;
}
add_filter('the_title', 'esc_html');
echo apply_filters('the_title', $_GET['title'] ?? '');
