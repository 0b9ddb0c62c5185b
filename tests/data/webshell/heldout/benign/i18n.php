<?php
/**
 * Replaces {key} tokens in translated strings. Values are escaped.
 */
function t($key, array $params = array())
{
    static $lang = null;
    if ($lang === null) {
        $lang = json_decode(file_get_contents(__DIR__ . '/lang/zh_CN.json'), true);
    }
    $s = isset($lang[$key]) ? $lang[$key] : $key;
    return preg_replace_callback('/\{(\w+)\}/', function ($m) use ($params) {
        return isset($params[$m[1]]) ? htmlspecialchars($params[$m[1]], ENT_QUOTES, 'UTF-8') : $m[0];
    }, $s);
}

echo t('welcome', array('name' => isset($_GET['name']) ? $_GET['name'] : '访客'));
