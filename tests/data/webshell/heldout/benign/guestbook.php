<?php
require __DIR__ . '/config.php';
$pdo = new PDO($dsn, $dbuser, $dbpass, array(PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION));
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $name = trim(isset($_POST['name']) ? $_POST['name'] : '');
    $msg  = trim(isset($_POST['msg']) ? $_POST['msg'] : '');
    if ($name !== '' && $msg !== '' && hash_equals($_SESSION['csrf'], (string)$_POST['csrf'])) {
        $st = $pdo->prepare('INSERT INTO guestbook (name, msg, ip, created) VALUES (?, ?, ?, NOW())');
        $st->execute(array(mb_substr($name, 0, 32), mb_substr($msg, 0, 1000), $_SERVER['REMOTE_ADDR']));
    }
    header('Location: guestbook.php');
    exit;
}
$q = isset($_GET['q']) ? $_GET['q'] : '';
$st = $pdo->prepare('SELECT name, msg, created FROM guestbook WHERE msg LIKE ? ORDER BY id DESC LIMIT 50');
$st->execute(array('%' . $q . '%'));
?>
<form method="get"><input name="q" value="<?php echo htmlspecialchars($q, ENT_QUOTES, 'UTF-8'); ?>"><button>搜索</button></form>
<?php foreach ($st as $row): ?>
<div class="msg"><b><?php echo htmlspecialchars($row['name'], ENT_QUOTES, 'UTF-8'); ?></b>
<p><?php echo nl2br(htmlspecialchars($row['msg'], ENT_QUOTES, 'UTF-8')); ?></p>
<small><?php echo htmlspecialchars($row['created']); ?></small></div>
<?php endforeach; ?>
