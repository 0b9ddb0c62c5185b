<?php
// Hook registry of a CMS: callbacks are registered by plugins in code, fired by name.
class Hooks {
    private static $actions = array();
    public static function add($tag, $cb, $prio = 10) { self::$actions[$tag][$prio][] = $cb; }
    public static function run($tag, ...$args) {
        if (empty(self::$actions[$tag])) return;
        ksort(self::$actions[$tag]);
        foreach (self::$actions[$tag] as $cbs) foreach ($cbs as $cb) call_user_func_array($cb, $args);
    }
}
Hooks::add('init', array('Session', 'start'));
Hooks::run('init', $_SERVER['REQUEST_URI']);
